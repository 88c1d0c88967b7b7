namespace BackendService.Api.Observability;

/// <summary>OpenTelemetry switches, from the <c>Telemetry</c> section; exporters use the standard <c>OTEL_*</c> variables.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>Serve <c>/metrics</c> in Prometheus text format.</summary>
    public bool MetricsEnabled { get; set; } = true;

    /// <summary>Export traces over OTLP. Unset: on exactly when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.</summary>
    public bool? TracingEnabled { get; set; }
}
