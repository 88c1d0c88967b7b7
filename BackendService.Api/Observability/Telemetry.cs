using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace BackendService.Api.Observability;

/// <summary>
/// Metrics and traces through OpenTelemetry. Metrics (on by default) are scraped from
/// <c>/metrics</c>: ASP.NET Core's request duration by route and status, Kestrel's
/// connections and the .NET runtime, plus what Infrastructure registers (Npgsql's pool and
/// commands). Traces (ASP.NET Core and Npgsql spans) go over OTLP to
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>; their trace id is the one in the logs (<c>@tr</c>) and
/// in every ProblemDetails (<c>traceId</c>).
/// </summary>
internal static class Telemetry
{
    // The meters .NET and ASP.NET Core publish themselves; no instrumentation package needed.
    private static readonly string[] Meters =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Diagnostics",
        "Microsoft.AspNetCore.RateLimiting",
        "System.Runtime",
    ];

    public static IServiceCollection AddTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(TelemetryOptions.SectionName);
        services.Configure<TelemetryOptions>(section);
        var options = section.Get<TelemetryOptions>() ?? new TelemetryOptions();
        var tracing = options.TracingEnabled ?? !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        if (!options.MetricsEnabled && !tracing)
        {
            return services;
        }

        var telemetry = services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService(
            serviceName: configuration["OTEL_SERVICE_NAME"] ?? "backendservice",
            serviceVersion: typeof(Telemetry).Assembly.GetName().Version?.ToString()));

        if (options.MetricsEnabled)
        {
            telemetry.WithMetrics(metrics => metrics.AddMeter(Meters).AddPrometheusExporter());
        }

        if (tracing)
        {
            // Endpoint, protocol, headers and batching come from the standard OTEL_* settings.
            telemetry.WithTracing(traces => traces
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = http => !OperationalPaths.Contains(http.Request.Path))
                .AddOtlpExporter());
        }

        return services;
    }

    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder endpoints)
    {
        if (endpoints.ServiceProvider.GetRequiredService<IOptions<TelemetryOptions>>().Value.MetricsEnabled)
        {
            // Anonymous for the scraper; on the management port alone when there is one (ManagementPort).
            endpoints.MapPrometheusScrapingEndpoint(OperationalPaths.Metrics).AllowAnonymous().Operational();
        }

        return endpoints;
    }
}
