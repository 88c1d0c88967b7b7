using System.ComponentModel.DataAnnotations;

namespace BackendService.Api.Configuration;

/// <summary>
/// Per-caller request rate limit (a fixed window): an authenticated caller by its token's client,
/// anyone else by address (an IPv6 address by its /64). Off by default in the app; on in the
/// manifests (deploy/base/configmap.yaml).
/// </summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimiting";

    public bool Enabled { get; set; }

    /// <summary>Requests one caller may make per window.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "RateLimiting:PermitLimit must be at least 1.")]
    public int PermitLimit { get; set; } = 100;

    [Range(1, int.MaxValue, ErrorMessage = "RateLimiting:WindowSeconds must be at least 1.")]
    public int WindowSeconds { get; set; } = 1;
}
