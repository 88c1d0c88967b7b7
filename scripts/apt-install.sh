#!/usr/bin/env bash
# Installs Debian packages with apt-get (through sudo when not root). The callers check first
# whether they need them, so a machine that has them never touches apt.
#   scripts/apt-install.sh PACKAGE...
# Packages that ship a system service (nginx, postgresql and the like) are not started by the
# install: the project runs its own instances on loopback, and a stray daemon on a well-known
# port would only get in the way.
set -euo pipefail

echo "installing $* with apt-get" >&2
sudo_cmd=()
[[ "$(id -u)" -ne 0 ]] && sudo_cmd=(sudo)

policy=/usr/sbin/policy-rc.d
added_policy=false
if [[ ! -e "$policy" ]]; then
    # Debian's convention: exit code 101 from policy-rc.d forbids invoke-rc.d to start services.
    printf '#!/bin/sh\nexit 101\n' | "${sudo_cmd[@]}" tee "$policy" >/dev/null
    "${sudo_cmd[@]}" chmod 755 "$policy"
    added_policy=true
fi
cleanup() { if [[ "$added_policy" == true ]]; then "${sudo_cmd[@]}" rm -f "$policy"; fi; }
trap cleanup EXIT

"${sudo_cmd[@]}" apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "$@" >&2
