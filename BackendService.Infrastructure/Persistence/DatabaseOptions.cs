using System.ComponentModel.DataAnnotations;

namespace BackendService.Infrastructure.Persistence;

/// <summary>
/// Where the database is and how the connection pool behaves. Bound from the <c>Database</c>
/// section; <c>DATABASE_URL</c> in the environment sets <see cref="Url"/>. The pool settings
/// here always win over the same keys inside the connection string, so the contract's
/// defaults hold unless they are overridden on purpose (e.g. <c>Database__MaxPoolSize=40</c>).
/// </summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary><c>postgres://user:pass@host:port/db?sslmode=...</c> or an Npgsql key=value string.</summary>
    public string? Url { get; set; }

    [Range(1, int.MaxValue, ErrorMessage = "Database:MaxPoolSize must be at least 1.")]
    public int MaxPoolSize { get; set; } = 20;

    /// <summary>Connections kept open and warm even when idle.</summary>
    [Range(0, int.MaxValue, ErrorMessage = "Database:MinPoolSize must not be negative.")]
    public int MinPoolSize { get; set; } = 5;

    /// <summary>How long a request waits for a pooled connection before failing fast.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "Database:AcquireTimeoutSeconds must be at least 1.")]
    public int AcquireTimeoutSeconds { get; set; } = 3;

    /// <summary>
    /// How long one SQL command may run. Our statements take milliseconds; a command that runs
    /// this long means the database hangs, and the request should fail (503) rather than wait.
    /// </summary>
    [Range(1, int.MaxValue, ErrorMessage = "Database:CommandTimeoutSeconds must be at least 1.")]
    public int CommandTimeoutSeconds { get; set; } = 3;

    /// <summary>Statements prepared automatically per connection (0 turns auto-preparation off, e.g. behind a connection pooler in transaction mode).</summary>
    [Range(0, int.MaxValue, ErrorMessage = "Database:MaxAutoPrepare must not be negative.")]
    public int MaxAutoPrepare { get; set; } = 20;

    /// <summary>
    /// Whether Npgsql resets session state (<c>DISCARD</c>-style commands) each time a
    /// connection goes back to the pool. Off by default: this service leaves no session state
    /// behind (no <c>SET</c>, temporary tables or <c>LISTEN</c>; the migrator releases its
    /// advisory lock itself), and the reset is a round trip's worth of work on every request.
    /// Turn it on if code ever changes session settings on a pooled connection.
    /// </summary>
    public bool ResetSessionOnReturn { get; set; }

#if (ha)
    /// <summary>
    /// With several hosts in the URL: the list endpoint reads from a standby when one is up
    /// (Npgsql's prefer-standby, a pool of its own), so it may lag behind writes by the
    /// replication delay; everything else, get by id included, reads and writes the primary.
    /// </summary>
    public bool ListFromStandbys { get; set; }
#endif

    /// <summary>
    /// How long one readiness check of the database serves every probe that asks (and probes that
    /// ask while it runs wait for it): a flood of probes costs one query per interval, not one each.
    /// 0 checks on every probe.
    /// </summary>
    [Range(0, 60_000, ErrorMessage = "Database:ReadinessCheckReuseMilliseconds must be between 0 and 60000.")]
    public int ReadinessCheckReuseMilliseconds { get; set; } = 1_000;

    /// <summary>
    /// Apply pending migrations while starting (under an advisory lock). Turn off when a
    /// migration Job (<c>--migrate-only</c>) does it: the process then stays not ready until
    /// the schema is current, and never needs DDL rights.
    /// </summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>Idle connections above the minimum are closed after this long.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "Database:IdleTimeoutSeconds must be at least 1.")]
    public int IdleTimeoutSeconds { get; set; } = 600;

    /// <summary>Connections are recycled after this long, so failovers and config changes take effect.</summary>
    [Range(0, int.MaxValue, ErrorMessage = "Database:MaxLifetimeSeconds must not be negative (0 means no limit).")]
    public int MaxLifetimeSeconds { get; set; } = 1800;
}
