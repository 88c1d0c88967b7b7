using System.ComponentModel.DataAnnotations;

namespace BackendService.Infrastructure.Idempotency;

/// <summary>How long an <c>Idempotency-Key</c> is remembered, and how expired ones are purged.</summary>
public sealed class IdempotencyOptions
{
    public const string SectionName = "Idempotency";

    /// <summary>A retry with the same key within this time gets the first response again.</summary>
    [Range(1, 24 * 365 * 3600, ErrorMessage = "Idempotency:KeyLifetimeSeconds must be between 1 and one year.")]
    public int KeyLifetimeSeconds { get; set; } = 24 * 3600;

    /// <summary>How often each replica deletes expired keys.</summary>
    [Range(1, 24 * 3600, ErrorMessage = "Idempotency:PurgeIntervalSeconds must be between 1 and 86400.")]
    public int PurgeIntervalSeconds { get; set; } = 300;

    /// <summary>Expired keys deleted per statement, so a purge never holds many row locks at once.</summary>
    [Range(1, 100_000, ErrorMessage = "Idempotency:PurgeBatchSize must be between 1 and 100000.")]
    public int PurgeBatchSize { get; set; } = 1000;
}
