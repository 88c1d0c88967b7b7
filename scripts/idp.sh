#!/usr/bin/env bash
# A private OpenID Connect provider for local runs (scripts/run.sh), kept in a git-ignored folder:
# the pinned oidc-provider on Node (scripts/identity-provider) with a client-credentials client
# (a service or back office) and a public sign-in client for people (Swagger UI's, PKCE), whose
# development users are ada and grace, password "development".
#
#   scripts/idp.sh start                      start it (first time: npm ci and a new signing key), print its issuer URL
#   scripts/idp.sh token [SCOPE]              print a client-credentials access token (default: every scope
#                                             the API declares, from BackendService.Api --print-scopes)
#   scripts/idp.sh token --user LOGIN [SCOPE] print an end user's access token: LOGIN signs in as a browser
#                                             app would (authorization code with PKCE); default scope: the
#                                             API's end-user scopes (resource:self), the only ones people get
#   scripts/idp.sh stop                       stop it
#
# The provider knows the scopes the API declares (Swagger UI lists them from its discovery
# document); start restarts it when they have changed (a new resource), keeping its key.
# Settings (environment): LOCAL_IDP_DIR (default .local/idp), LOCAL_IDP_PORT (default: the
# first free port from 55600), LOCAL_IDP_PASSWORD (token --user; default development). Idempotent: a second start reuses the running provider.
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
    local scopes
    scopes="$(declared_scopes)"
    if is_running && [[ "$(cat "$state_dir/scopes" 2>/dev/null)" == "$scopes" ]]; then
        log "reusing the provider running at $(issuer)"
        issuer
        return
    fi
    if is_running; then
        log "the API's scopes changed ($scopes): restarting the provider"
        stop
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
    echo "$scopes" >"$state_dir/scopes"
    nohup node "$provider_dir/provider.mjs" --port "$port" --jwks "$state_dir/jwks.json" --scopes "$scopes" >"$state_dir/provider.log" 2>&1 &
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
    if [[ "${1:-}" == "--user" ]]; then
        [[ -n "${2:-}" ]] || { log "usage: scripts/idp.sh token --user LOGIN [SCOPE]"; exit 2; }
        local scope="${3:-}"
        [[ -n "$scope" ]] || scope="$(declared_scopes | tr ' ' '\n' | grep ':self$' | paste -sd ' ')"
        node "$provider_dir/sign-in.mjs" --issuer "$(issuer)" --user "$2" --password "${LOCAL_IDP_PASSWORD:-development}" --scope "$scope"
        return
    fi
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
    token) shift; token "$@" ;;
    stop) stop ;;
    *) echo "usage: scripts/idp.sh [start|token [--user LOGIN] [SCOPE]|stop]" >&2; exit 2 ;;
esac
