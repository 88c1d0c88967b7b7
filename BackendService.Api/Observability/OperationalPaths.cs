namespace BackendService.Api.Observability;

/// <summary>
/// Paths the platform calls (probes, metric scrapes) rather than clients: exempt from rate
/// limiting, logged at Debug when they succeed, never traced.
/// </summary>
internal static class OperationalPaths
{
    public const string Metrics = "/metrics";

    public static bool Contains(PathString path) =>
        path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments(Metrics, StringComparison.OrdinalIgnoreCase);
}
