namespace BackendService.Api.Configuration;

/// <summary>Per-client-IP request rate limit (a fixed window). Off by default.</summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimiting";

    public bool Enabled { get; set; }

    /// <summary>Requests one client IP may make per window.</summary>
    public int PermitLimit { get; set; } = 100;

    public int WindowSeconds { get; set; } = 1;
}
