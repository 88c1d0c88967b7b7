using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BackendService.Infrastructure.Persistence;

/// <summary>
/// Applies pending EF migrations while the host is starting, before the server takes
/// requests. A PostgreSQL advisory lock serialises replicas that start together: the first
/// migrates, the others wait and then find nothing to do. A failure stops the process.
/// </summary>
internal sealed partial class DatabaseMigrator(IServiceScopeFactory scopes, MigrationState state, ILogger<DatabaseMigrator> logger) : IHostedLifecycleService
{
    // Any constant shared by all replicas; "BkSvcMig" in ASCII, to be recognisable in pg_locks.
    internal const long AdvisoryLockKey = 0x426b5376634d6967;

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();

        // The lock is per session, so lock, migrate and unlock on one open connection.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
            try
            {
                // Creating the history table first spares the log a misleading "relation does not
                // exist" error that EF would otherwise write while probing an empty database.
                await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);

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

        state.MarkApplied();
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying {Count} database migration(s): {Migrations}")]
    private partial void LogApplying(int count, IReadOnlyList<string> migrations);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema is up to date")]
    private partial void LogUpToDate();
}

/// <summary>Whether this process has seen the schema migrated; readiness depends on it.</summary>
public sealed class MigrationState
{
    private volatile bool _applied;

    public bool Applied => _applied;

    internal void MarkApplied() => _applied = true;
}
