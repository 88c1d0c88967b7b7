#!/usr/bin/env bash
# A private PostgreSQL cluster for local runs, tests and CI, kept in a git-ignored folder.
#
#   scripts/db.sh start   create (first time) and start the cluster, create the database,
#                         print its DATABASE_URL on stdout (everything else goes to stderr)
#   scripts/db.sh url     print the DATABASE_URL of the running cluster
#   scripts/db.sh stop    stop the cluster (data is kept)
#   scripts/db.sh status  say whether it runs
#
# Settings (environment): LOCAL_PG_DIR (default .local/pg), LOCAL_PG_PORT (default: the
# first free port from 55432), LOCAL_PG_DB (default backendservice), PG_BIN (server binaries).
# Idempotent: a second start reuses the running cluster and its port.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data_dir="${LOCAL_PG_DIR:-$repo_root/.local/pg}"
port_file="$data_dir.port"
db_name="${LOCAL_PG_DB:-backendservice}"

log() { echo "db: $*" >&2; }

find_pg_bin() {
    if [[ -n "${PG_BIN:-}" ]]; then echo "$PG_BIN"; return; fi
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

pg_bin="$(find_pg_bin)"
if [[ -z "$pg_bin" || ! -x "$pg_bin/initdb" ]]; then
    log "PostgreSQL server binaries not found"
    "$repo_root/scripts/apt-install.sh" postgresql
    pg_bin="$(find_pg_bin)"
fi

# initdb refuses to run as root: when we are root, the cluster belongs to the postgres user.
as_owner() {
    if [[ "$(id -u)" -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

is_running() { [[ -f "$data_dir/PG_VERSION" ]] && as_owner "$pg_bin/pg_ctl" -D "$data_dir" status >/dev/null 2>&1; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The private cluster has no TLS; saying so spares every new connection a refused TLS request.
url() { echo "postgres://postgres@127.0.0.1:$(cat "$port_file")/$db_name?sslmode=disable"; }

choose_port() {
    if [[ -n "${LOCAL_PG_PORT:-}" ]]; then
        if port_in_use "$LOCAL_PG_PORT"; then
            log "port $LOCAL_PG_PORT (LOCAL_PG_PORT) is taken by another process"; exit 1
        fi
        echo "$LOCAL_PG_PORT"; return
    fi
    for candidate in $(seq "${1:-55432}" 55532); do
        if ! port_in_use "$candidate"; then echo "$candidate"; return; fi
    done
    log "no free port in 55432-55532; set LOCAL_PG_PORT"; exit 1
}

start() {
    if is_running; then
        log "reusing the cluster running in $data_dir"
    else
        if [[ ! -f "$data_dir/PG_VERSION" ]]; then
            log "creating a cluster in $data_dir"
            mkdir -p "$data_dir"
            chmod 755 "$(dirname "$data_dir")"
            [[ "$(id -u)" -eq 0 ]] && chown postgres:postgres "$data_dir"
            chmod 700 "$data_dir"
            as_owner "$pg_bin/initdb" -D "$data_dir" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
        fi
        # A port that looked free can still be taken when PostgreSQL binds it: these ports lie in
        # Linux's ephemeral range, so a client connection (wrk, a pool) may hold one as its local
        # port, which a connect test does not see. Then the next port is tried.
        local first=55432 started=false attempt log_lines fresh_log
        for attempt in 1 2 3 4 5; do
            choose_port "$first" >"$port_file"
            log "starting PostgreSQL on 127.0.0.1:$(cat "$port_file")"
            log_lines=0
            [[ -f "$data_dir/server.log" ]] && log_lines="$(wc -l <"$data_dir/server.log")"
            if as_owner "$pg_bin/pg_ctl" -D "$data_dir" -l "$data_dir/server.log" -w -t 60 \
                -o "-h 127.0.0.1 -p $(cat "$port_file") -k $data_dir -c max_connections=200" start >/dev/null; then
                started=true
                break
            fi
            fresh_log="$(tail -n +"$((log_lines + 1))" "$data_dir/server.log" 2>/dev/null || true)"
            if [[ -n "${LOCAL_PG_PORT:-}" || "$fresh_log" != *"could not create any TCP/IP sockets"* ]]; then
                break
            fi
            log "port $(cat "$port_file") was taken when PostgreSQL bound it (attempt $attempt); trying the next"
            first=$(($(cat "$port_file") + 1))
        done
        [[ "$started" == true ]] || { log "PostgreSQL did not start; see $data_dir/server.log"; exit 1; }
    fi
    local psql=("$pg_bin/psql" -X -q -h 127.0.0.1 -p "$(cat "$port_file")" -U postgres -d postgres -v ON_ERROR_STOP=1)
    if [[ "$("${psql[@]}" -tAc "SELECT 1 FROM pg_database WHERE datname = '$db_name'")" != "1" ]]; then
        "${psql[@]}" -c "CREATE DATABASE \"$db_name\"" >&2
    fi
    url
}

stop() {
    if is_running; then
        as_owner "$pg_bin/pg_ctl" -D "$data_dir" -m fast -w stop >/dev/null
        log "stopped"
    else
        log "not running"
    fi
}

case "${1:-start}" in
    start) start ;;
    stop) stop ;;
    url) is_running || { log "not running; use: scripts/db.sh start"; exit 1; }; url ;;
    status) if is_running; then log "running: $(url)"; else log "not running"; exit 3; fi ;;
    *) echo "usage: scripts/db.sh [start|url|stop|status]" >&2; exit 2 ;;
esac
