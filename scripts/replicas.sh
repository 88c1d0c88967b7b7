#!/usr/bin/env bash
# Three replicas behind nginx on loopback, one stopped with SIGTERM mid-load and restarted
# (README, Deploying). Starts the private PostgreSQL cluster, installs nginx if missing, runs
# the Replicas test category and prints its figures.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

TEST_DATABASE_URL="$(scripts/db.sh start)"
export TEST_DATABASE_URL
[[ -x /usr/sbin/nginx ]] || scripts/apt-install.sh nginx

# The whole output (replica and nginx logs included) goes to TestResults/replicas.log.
mkdir -p TestResults
status=0
dotnet test BackendService.Tests -c Release --nologo --filter "TestCategory=Replicas" \
    --logger "console;verbosity=detailed" > TestResults/replicas.log 2>&1 || status=$?
grep -v '^{"@t"' TestResults/replicas.log | grep -E "^ *replicas behind nginx|Error Message|Passed |Failed |Total tests" -A3 | grep -v '^--$' | awk '!seen[$0]++'
exit "$status"
