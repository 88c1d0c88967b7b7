#!/usr/bin/env bash
# Installs Debian packages with apt-get (through sudo when not root). The callers check first
# whether they need them, so a machine that has them never touches apt.
#   scripts/apt-install.sh PACKAGE...
set -euo pipefail

echo "installing $* with apt-get" >&2
sudo_cmd=()
[[ "$(id -u)" -ne 0 ]] && sudo_cmd=(sudo)
"${sudo_cmd[@]}" apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "$@" >&2
