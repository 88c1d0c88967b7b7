#!/usr/bin/env bash
# The whole test suite, from a fresh machine: starts the private PostgreSQL cluster
# (installing PostgreSQL if needed), installs Chromium and the pinned npm tools, checks
# formatting, builds with warnings as errors and runs every test (unit, HTTP, fault, process,
# browser, three replicas behind nginx, and what the template's options brought: see the
# README's Testing section). Prints "N passed, N failed, N skipped" last; exits non-zero on
# any failure.
# Extra arguments go to `dotnet test` (e.g. --filter "FullyQualifiedName~Users").
#
# The inner loop: a filtered run (any argument) skips the npm installs (the tests that use the
# npm tools install them on first need) and the separate restore (dotnet test restores), so it
# costs little more than its tests; --no-format also skips the format check. The full run (no
# arguments) does every step, as CI does.
set -euo pipefail

check_format=true
test_args=()
for argument in "$@"; do
    if [[ "$argument" == "--no-format" ]]; then check_format=false; else test_args+=("$argument"); fi
done
full_run=true
(( ${#test_args[@]} == 0 )) || full_run=false

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
results_dir="$repo_root/TestResults"
started=$SECONDS

# The private cluster is stopped when the run ends, unless it was running before (scripts/run.sh's, say).
if ! scripts/db.sh status 2>/dev/null; then
    trap 'scripts/db.sh stop >/dev/null 2>&1 || true' EXIT
fi
TEST_DATABASE_URL="$(scripts/db.sh start)"
export TEST_DATABASE_URL

# The browser tests drive Debian's Chromium (Playwright's own browser download does not work
# here); the replica tests run Debian's nginx on loopback.
#if (pgbouncer)
# The PgBouncer tests run Debian's pgbouncer on loopback.
#endif
#if (benchmark)
# The benchmark smoke test installs wrk itself (bench/run).
#endif
missing=()
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
#if (pgbouncer)
[[ -x /usr/sbin/pgbouncer ]] || missing+=(pgbouncer)
#endif
[[ -x /usr/sbin/nginx ]] || missing+=(nginx)
if (( ${#missing[@]} > 0 )); then
    scripts/apt-install.sh "${missing[@]}"
fi

# The security tests run the pinned OpenID Connect provider (oidc-provider) on Node; the
# workflow checks run the pinned workflow-schema validator.
#if (frontendChecks)
# The frontend checks (OpenAPI lint, generated TypeScript client) use the pinned npm tools.
#endif
if $full_run; then
#if (frontendChecks)
    (cd frontend && npm ci --no-audit --no-fund --loglevel=error >&2)
#endif
    (cd scripts/identity-provider && npm ci --no-audit --no-fund --loglevel=error >&2)
    (cd scripts/workflow-checks && npm ci --no-audit --no-fund --loglevel=error >&2)
fi

dotnet tool restore >/dev/null
if $check_format; then
    dotnet restore BackendService.sln --nologo -v quiet
    dotnet format BackendService.sln --verify-no-changes --no-restore
fi

rm -rf "$results_dir"
mkdir -p "$results_dir"
console_log="$results_dir/console.log"
status=0
dotnet test BackendService.sln -c Release --nologo \
    --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" \
    --results-directory "$results_dir" ${test_args[@]+"${test_args[@]}"} 2>&1 | tee "$console_log" || status=$?

trx="$results_dir/results.trx"
if [[ -f "$trx" ]]; then
    counters="$(grep -o '<Counters [^>]*>' "$trx")"
    count() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
    total="$(count total)" passed="$(count passed)" failed="$(count failed)"
    failed=$((failed + $(count error) + $(count timeout) + $(count aborted)))
    skipped=$((total - passed - failed))
    # CI keeps only the tail of this output: repeat each failure (name, message, top of the
    # stack) here, just above the counts, so a failure is readable from the tail alone.
    if grep -qE '^\s+Failed ' "$console_log"; then
        echo "=== failed tests ==="
        awk '/^[[:space:]]+Failed /{n=30} n>0{print; n--}' "$console_log"
        echo "===================="
    fi
    echo "test time: $((SECONDS - started)) s"
    echo "$passed passed, $failed failed, $skipped skipped"
    if [[ "$failed" -gt 0 ]]; then status=1; fi
else
    echo "no test results were written (the build failed?)"
    echo "0 passed, 1 failed"
    status=1
fi
exit "$status"
