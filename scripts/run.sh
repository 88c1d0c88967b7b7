#!/usr/bin/env bash
# Runs the service on http://localhost:${PORT:-8080} (Swagger UI at /swagger).
# Without DATABASE_URL it starts the private local PostgreSQL cluster (scripts/db.sh) and
# uses that. Stop with Ctrl+C; scripts/db.sh stop stops the database.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ -z "${DATABASE_URL:-}" ]]; then
    DATABASE_URL="$("$repo_root/scripts/db.sh" start)"
    export DATABASE_URL
fi
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"

# From the project folder, so the content root (appsettings.json) is found.
cd "$repo_root/BackendService.Api"
exec dotnet run -c Release --no-launch-profile
