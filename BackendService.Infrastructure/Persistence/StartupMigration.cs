using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BackendService.Infrastructure.Persistence;

/// <summary>
/// Before the server takes requests: applies pending migrations (<c>Database:MigrateOnStartup</c>,
/// the default; a database that cannot be migrated stops the process, which the orchestrator
/// restarts) or only checks the schema. Without startup migration, an unreachable database does
/// not stop the process: it starts not ready, and readiness keeps asking.
/// </summary>
/// <remarks>
/// The work can begin as soon as the container is built (<see cref="Begin"/>), so that it runs
/// while the request pipeline is put together; the host still waits for it before it listens.
/// Most of it is EF building its model and Npgsql opening the first connection (~0.3 s of
/// start to ready on two cores, profiled), which does not depend on the pipeline.
/// </remarks>
internal sealed partial class StartupMigration(DatabaseMigrations migrations, IOptions<DatabaseOptions> options, ILogger<StartupMigration> logger)
    : IHostedService, IDisposable
{
    private readonly Lock _beginning = new();
    private readonly CancellationTokenSource _abandon = new();
    private Task? _work;

    /// <summary>Starts the work if it has not started yet; the host awaits it while starting.</summary>
    public Task Begin()
    {
        lock (_beginning)
        {
            // Task.Run: the caller goes on building the pipeline instead of waiting for the
            // synchronous first part (EF's model) of the work.
            return _work ??= Task.Run(() => RunAsync(_abandon.Token));
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // A start aborted by the host (SIGTERM while starting) abandons the migration; its
        // transaction is rolled back with the connection.
        await using var abandon = cancellationToken.Register(_abandon.Cancel);
        await Begin().WaitAsync(cancellationToken);
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        if (options.Value.MigrateOnStartup)
        {
            await migrations.ApplyAsync(cancellationToken);
            return;
        }

        try
        {
            await migrations.CheckAsync(cancellationToken);
        }
        catch (NpgsqlException ex)
        {
            LogDatabaseUnavailable(ex.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _abandon.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check the database schema at startup ({Reason}); not ready until the database answers and the schema is current")]
    private partial void LogDatabaseUnavailable(string reason);
}
