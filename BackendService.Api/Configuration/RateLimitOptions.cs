using System.ComponentModel.DataAnnotations;

namespace BackendService.Api.Configuration;

/// <summary>Per-client-IP request rate limit (a fixed window). Off by default.</summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimiting";

    public bool Enabled { get; set; }

    /// <summary>Requests one client IP may make per window.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "RateLimiting:PermitLimit must be at least 1.")]
    public int PermitLimit { get; set; } = 100;

    [Range(1, int.MaxValue, ErrorMessage = "RateLimiting:WindowSeconds must be at least 1.")]
    public int WindowSeconds { get; set; } = 1;
}
