#!/usr/bin/env bash
# A private OpenID Connect provider for local runs (scripts/run.sh), kept in a git-ignored folder:
# the pinned oidc-provider on Node (scripts/identity-provider), one client-credentials client.
#
#   scripts/idp.sh start           start it (first time: npm ci and a new signing key), print its issuer URL
#   scripts/idp.sh token [SCOPE]   print an access token (default: every scope the API declares,
#                                  from BackendService.Api --print-scopes; the provider issues any
#                                  scope of the form resource:action)
#   scripts/idp.sh stop            stop it
#
# Settings (environment): LOCAL_IDP_DIR (default .local/idp), LOCAL_IDP_PORT (default: the
# first free port from 55600). Idempotent: a second start reuses the running provider.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
state_dir="${LOCAL_IDP_DIR:-$repo_root/.local/idp}"
provider_dir="$repo_root/scripts/identity-provider"
client="backendservice-dev:backendservice-dev-secret"

log() { echo "idp: $*" >&2; }
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
issuer() { echo "http://127.0.0.1:$(cat "$state_dir/port")"; }
is_running() { [[ -f "$state_dir/pid" ]] && kill -0 "$(cat "$state_dir/pid")" 2>/dev/null; }

start() {
    if is_running; then
        log "reusing the provider running at $(issuer)"
        issuer
        return
    fi
    command -v node >/dev/null || { log "Node.js is needed (apt-get install nodejs)"; exit 1; }
    mkdir -p "$state_dir"
    [[ -d "$provider_dir/node_modules/oidc-provider" ]] || (cd "$provider_dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
    local port="${LOCAL_IDP_PORT:-}"
    if [[ -z "$port" ]]; then
        for candidate in $(seq 55600 55700); do
            if ! port_in_use "$candidate"; then port="$candidate"; break; fi
        done
    fi
    echo "$port" >"$state_dir/port"
    nohup node "$provider_dir/provider.mjs" --port "$port" --jwks "$state_dir/jwks.json" >"$state_dir/provider.log" 2>&1 &
    echo $! >"$state_dir/pid"
    for _ in $(seq 100); do
        if grep -q '^ready ' "$state_dir/provider.log" 2>/dev/null; then
            log "OpenID Connect provider on $(issuer)"
            issuer
            return
        fi
        is_running || break
        sleep 0.1
    done
    log "the provider did not start: $(cat "$state_dir/provider.log")"
    exit 1
}

declared_scopes() {
    local dll="$repo_root/BackendService.Api/bin/Release/net10.0/BackendService.Api.dll"
    [[ -f "$dll" ]] || dotnet build "$repo_root/BackendService.Api/BackendService.Api.csproj" -c Release --nologo -v quiet >&2
    dotnet "$dll" --print-scopes
}

token() {
    is_running || { log "not running; use: scripts/idp.sh start"; exit 1; }
    local scope="${1:-}"
    [[ -n "$scope" ]] || scope="$(declared_scopes)"
    curl -sf -u "$client" -d grant_type=client_credentials --data-urlencode "scope=$scope" "$(issuer)/token" \
        | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p'
}

stop() {
    if is_running; then kill "$(cat "$state_dir/pid")"; log "stopped"; else log "not running"; fi
    rm -f "$state_dir/pid"
}

case "${1:-start}" in
    start) start ;;
    token) token "${2:-}" ;;
    stop) stop ;;
    *) echo "usage: scripts/idp.sh [start|token [SCOPE]|stop]" >&2; exit 2 ;;
esac
