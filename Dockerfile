# syntax=docker/dockerfile:1
# The BackendService image: built and published with the SDK, run on the chiseled ASP.NET
# runtime image (Ubuntu chiseled: no shell, no package manager, non-root by default; "extra"
# for ICU and time zones, which the text rules need) as a non-root user. No HEALTHCHECK: Kubernetes probes /health/live and
# /health/ready (deploy/). Build from the repository root:
#   docker build -t backendservice:1.0.0 .
# BackendService.Tests (Operations/ContainerImageTests) runs the publish command below
# outside Docker, so a change here that breaks the publish fails the test suite.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src

# Restore first, from the project files alone, so the package layer is cached until they change.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY BackendService.Domain/BackendService.Domain.csproj BackendService.Domain/
COPY BackendService.Application/BackendService.Application.csproj BackendService.Application/
COPY BackendService.Infrastructure/BackendService.Infrastructure.csproj BackendService.Infrastructure/
COPY BackendService.Api/BackendService.Api.csproj BackendService.Api/
RUN dotnet restore BackendService.Api/BackendService.Api.csproj -r linux-x64

COPY BackendService.Domain/ BackendService.Domain/
COPY BackendService.Application/ BackendService.Application/
COPY BackendService.Infrastructure/ BackendService.Infrastructure/
COPY BackendService.Api/ BackendService.Api/
RUN dotnet publish BackendService.Api/BackendService.Api.csproj -c Release -r linux-x64 --self-contained false --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled-extra AS runtime
WORKDIR /app
COPY --from=build /app ./

# The service reads PORT (see README, Configuration); the runtime image's own
# ASPNETCORE_HTTP_PORTS is cleared so that only one setting decides the port.
ENV PORT=8080 \
    ASPNETCORE_HTTP_PORTS= \
    ASPNETCORE_ENVIRONMENT=Production
EXPOSE 8080

# The image's built-in unprivileged user (uid 1654); Kubernetes' runAsNonRoot checks the number.
USER $APP_UID
ENTRYPOINT ["dotnet", "BackendService.Api.dll"]
