using BackendService.Infrastructure.Persistence;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace BackendService.Infrastructure.Health;

/// <summary>Ready when the schema is current and the database answers a trivial query.</summary>
internal sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource, DatabaseMigrations migrations) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var probe = PingAsync(cancellationToken);
        try
        {
            // Stop waiting when the budget is spent even if Npgsql is still trying to cancel
            // its command on a hung server: a probe must answer on time, not be accurate late.
            return await probe.WaitAsync(Budget, cancellationToken)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("Database migrations are pending (run the service with --migrate-only).");
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            // Observe the abandoned probe's eventual failure so it is not reported as unobserved.
            _ = probe.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            // The reason without the stack trace: probes repeat every few seconds while it lasts.
            return HealthCheckResult.Unhealthy($"The database did not answer: {ex.Message}");
        }
    }

    /// <summary>Under the 1 s a probe may take, with room for the HTTP round trip.</summary>
    internal static readonly TimeSpan Budget = TimeSpan.FromMilliseconds(700);

    /// <summary>True when the database answers and the schema is current.</summary>
    private async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Migrating at startup, the schema is current before the server listens; without
            // it, each probe asks the database until a migration Job has done its work.
            if (!migrations.SchemaIsCurrent)
            {
                return await migrations.CheckAsync(cancellationToken);
            }

            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return true;
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Abandoned by the probe above; nothing is waiting for this outcome.
            throw new OperationCanceledException(cancellationToken);
        }
    }
}
