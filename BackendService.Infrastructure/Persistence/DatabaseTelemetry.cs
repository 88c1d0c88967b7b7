namespace BackendService.Infrastructure.Persistence;

/// <summary>
/// Where Npgsql publishes its own telemetry (System.Diagnostics), so that the composition
/// root can subscribe without knowing the driver: pool and command metrics, command spans.
/// </summary>
public static class DatabaseTelemetry
{
    public const string MeterName = "Npgsql";

    public const string ActivitySourceName = "Npgsql";
}
