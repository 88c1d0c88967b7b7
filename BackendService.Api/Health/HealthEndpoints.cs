using BackendService.Api.Observability;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BackendService.Api.Health;

/// <summary>Probes for Kubernetes and load balancers, mapped in every environment.</summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Liveness runs no check at all: a database outage must not get healthy pods restarted.
        // Probes are anonymous: the kubelet and load balancers carry no token.
        Probe(endpoints.MapHealthChecks("/health/live", Options(_ => false)));

        // Readiness runs every registered check: the database, the shutdown state, the issuer's keys.
        var readiness = Options(_ => true);
        Probe(endpoints.MapHealthChecks("/health/ready", readiness));
        Probe(endpoints.MapHealthChecks("/health", readiness));
        return endpoints;
    }

    // A probe reads; any other method is routing's 405 (with Allow: GET, HEAD), as a ProblemDetails.
    private static void Probe(IEndpointConventionBuilder probe) =>
        probe.AllowAnonymous().Operational().WithMetadata(new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head]));

    private static HealthCheckOptions Options(Func<HealthCheckRegistration, bool> predicate) => new()
    {
        Predicate = predicate,
        ResultStatusCodes =
        {
            [HealthStatus.Healthy] = StatusCodes.Status200OK,
            [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
            [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
        },
        ResponseWriter = WriteStatusAsync,
    };

    // The body is deliberately terse: probes read the status code, people read the logs.
    private static Task WriteStatusAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(report.Status == HealthStatus.Healthy ? """{"status":"ok"}""" : """{"status":"degraded"}""");
    }
}
