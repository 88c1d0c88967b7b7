using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BackendService.Infrastructure.Persistence;

/// <summary>
/// Applies the EF migrations, or checks that someone else has, and remembers when the schema is
/// current: readiness depends on it. Applying takes a PostgreSQL advisory lock, so replicas
/// (or a migration Job and a replica) that migrate at once apply each migration once: the
/// first migrates, the others wait and then find nothing to do.
/// </summary>
public sealed partial class DatabaseMigrations(IServiceScopeFactory scopes, ILogger<DatabaseMigrations> logger)
{
    // Any constant shared by all replicas; "BkSvcMig" in ASCII, to be recognisable in pg_locks.
    internal const long AdvisoryLockKey = 0x426b5376634d6967;

    private volatile bool _schemaIsCurrent;
    private volatile bool _pendingReported;

    /// <summary>True once this process has applied the migrations or seen that none are pending.</summary>
    public bool SchemaIsCurrent => _schemaIsCurrent;

    public async Task ApplyAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();

        // The lock is per session, so lock, migrate and unlock on one open connection
        // (and on a direct one: behind a connection pooler in transaction mode the session is not ours).
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
            try
            {
                // Creating the history table first spares the log a misleading "relation does not
                // exist" error that EF would otherwise write while probing an empty database.
                // Asking first is cheaper on every later start: building the CREATE script
                // costs EF a model of its own.
                var history = db.GetService<IHistoryRepository>();
                if (!await history.ExistsAsync(cancellationToken))
                {
                    await history.CreateIfNotExistsAsync(cancellationToken);
                }

                var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
                if (pending.Count > 0)
                {
                    LogApplying(pending.Count, pending);
                    await db.Database.MigrateAsync(cancellationToken);
                }

                LogUpToDate();
            }
            finally
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        _schemaIsCurrent = true;
    }

    /// <summary>
    /// Whether the database has every migration this build knows, changing nothing. Used when
    /// startup migration is off: the process waits, not ready, for a migration Job to finish.
    /// </summary>
    public async Task<bool> CheckAsync(CancellationToken cancellationToken)
    {
        if (_schemaIsCurrent)
        {
            return true;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            // Once, not on every readiness probe while the Job runs.
            if (!_pendingReported)
            {
                _pendingReported = true;
                LogPending(pending.Count, pending);
            }

            return false;
        }

        _schemaIsCurrent = true;
        LogUpToDate();
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying {Count} database migration(s): {Migrations}")]
    private partial void LogApplying(int count, IReadOnlyList<string> migrations);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema is up to date")]
    private partial void LogUpToDate();

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} database migration(s) not applied yet: {Migrations}. Not ready until they are (run the service with --migrate-only).")]
    private partial void LogPending(int count, IReadOnlyList<string> migrations);
}
