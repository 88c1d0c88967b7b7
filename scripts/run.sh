#!/usr/bin/env bash
# Runs the service on http://localhost:${PORT:-8080} (Swagger UI at /swagger).
# Without DATABASE_URL it starts the private local PostgreSQL cluster (scripts/db.sh) and
# uses that; without Auth__Authority, the private identity provider (scripts/idp.sh). Stop with
# Ctrl+C; scripts/db.sh stop and scripts/idp.sh stop stop those.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ -z "${DATABASE_URL:-}" ]]; then
    DATABASE_URL="$("$repo_root/scripts/db.sh" start)"
    export DATABASE_URL
fi
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"

api_dll="$repo_root/BackendService.Api/bin/Release/net10.0/BackendService.Api.dll"
dotnet build "$repo_root/BackendService.Api/BackendService.Api.csproj" -c Release --nologo -v quiet >&2

# The API needs bearer tokens. Without an issuer of your own (Auth__Authority), a private
# OpenID Connect provider on loopback issues them (scripts/idp.sh), and a ready-to-paste
# request with a token for every scope the API declares is printed (a new resource's too);
# Swagger UI signs its development users in as end users (its public client, PKCE).
# Auth__Enabled=false runs the API open.
if [[ "${Auth__Enabled:-true}" != "false" && -z "${Auth__Authority:-}" ]]; then
    Auth__Authority="$("$repo_root/scripts/idp.sh" start)"
    export Auth__Authority Auth__Audience="api://backendservice" Auth__RequireHttpsMetadata=false
    export Auth__SwaggerClientId="${Auth__SwaggerClientId:-backendservice-swagger}"
    scopes="$(dotnet "$api_dll" --print-scopes)"
    token="$("$repo_root/scripts/idp.sh" token "$scopes")"
    cat >&2 <<MSG

A development token (scopes $scopes; valid 1 h; scripts/idp.sh token for another):
  curl -H "Authorization: Bearer $token" http://localhost:${PORT:-8080}/api/v1/users
In Swagger UI (http://localhost:${PORT:-8080}/swagger) press Authorize and paste the token under
"bearer", or sign in under "signIn" as the development user ada (or grace), password
"development": an end user's token. For scripts: scripts/idp.sh token --user ada

MSG
fi

# Become the service (exec): a SIGINT or SIGTERM sent to this script's process (by a supervisor
# or an IDE) reaches the server itself, which stops gracefully and frees the port. `dotnet run`
# would be a parent that dies and leaves the server running. From the project folder, so the
# content root (appsettings.json) is found.
cd "$repo_root/BackendService.Api"
exec dotnet "$api_dll"
