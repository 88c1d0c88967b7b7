using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BackendService.Infrastructure.Idempotency;

/// <summary>
/// Deletes expired idempotency keys, every replica on its own timer, in batches of
/// <c>Idempotency:PurgeBatchSize</c> rows that skip rows another purge holds, so a purge never
/// blocks a request or another replica.
/// </summary>
internal sealed partial class ExpiredKeyPurge(NpgsqlDataSource dataSource, IOptions<IdempotencyOptions> options, TimeProvider clock, ILogger<ExpiredKeyPurge> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.PurgeIntervalSeconds), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var deleted = await PurgeAsync(stoppingToken);
                if (deleted > 0)
                {
                    LogPurged(deleted);
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                LogFailed(ex.Message);
            }
        }
    }

    /// <summary>Deletes every expired key, a batch per statement; returns how many.</summary>
    public async Task<long> PurgeAsync(CancellationToken cancellationToken)
    {
        long total = 0;
        while (true)
        {
            await using var purge = dataSource.CreateCommand(
                """
                DELETE FROM idempotency_keys WHERE ctid IN (
                    SELECT ctid FROM idempotency_keys WHERE expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)
                """);
            purge.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = clock.GetUtcNow().UtcDateTime });
            purge.Parameters.Add(new NpgsqlParameter<int> { TypedValue = options.Value.PurgeBatchSize });
            var deleted = await purge.ExecuteNonQueryAsync(cancellationToken);
            total += deleted;
            if (deleted < options.Value.PurgeBatchSize)
            {
                return total;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Count} expired idempotency keys")]
    private partial void LogPurged(long count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not purge expired idempotency keys ({Reason}); trying again at the next interval")]
    private partial void LogFailed(string reason);
}
