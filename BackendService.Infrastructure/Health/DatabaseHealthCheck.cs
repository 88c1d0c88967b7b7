using BackendService.Infrastructure.Persistence;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BackendService.Infrastructure.Health;

/// <summary>
/// Ready when the schema is current and the database answers a trivial query. One check serves
/// every probe for <see cref="DatabaseOptions.ReadinessCheckReuseMilliseconds"/>, and probes that
/// arrive while it runs share it: anonymous probes cannot turn into a database flood. A singleton,
/// so the shared check outlives the request that started it.
/// </summary>
internal sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource, DatabaseMigrations migrations, IOptions<DatabaseOptions> options) : IHealthCheck
{
    private readonly Lock _gate = new();
    private Task<HealthCheckResult>? _shared;
    private long _sharedSince;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        Task<HealthCheckResult> shared;
        lock (_gate)
        {
            var now = Environment.TickCount64;
            if (_shared is null || now - _sharedSince >= options.Value.ReadinessCheckReuseMilliseconds)
            {
                _shared = CheckAsync();
                _sharedSince = now;
            }

            shared = _shared;
        }

        // The shared check is not cancelled when one probe goes away; that probe stops waiting.
        return shared.WaitAsync(cancellationToken);
    }

    /// <summary>Under the 1 s a probe may take, with room for the HTTP round trip.</summary>
    internal static readonly TimeSpan Budget = TimeSpan.FromMilliseconds(700);

    private async Task<HealthCheckResult> CheckAsync()
    {
        using var budget = new CancellationTokenSource(Budget);
        var probe = PingAsync(budget.Token);
        try
        {
            // Stop waiting when the budget is spent even if Npgsql is still trying to cancel
            // its command on a hung server: a probe must answer on time, not be accurate late.
            return await probe.WaitAsync(Budget)
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

    /// <summary>True when the database answers and the schema is current.</summary>
    private async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Migrating at startup, the schema is current before the server listens; without
            // it, each check asks the database until a migration Job has done its work.
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
            // Abandoned by the budget above; nothing is waiting for this outcome.
            throw new OperationCanceledException(cancellationToken);
        }
    }
}
