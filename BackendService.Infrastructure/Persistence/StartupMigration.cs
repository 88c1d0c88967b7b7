using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BackendService.Infrastructure.Persistence;

/// <summary>
/// While the host starts, before the server takes requests: applies pending migrations
/// (<c>Database:MigrateOnStartup</c>, the default; a database that cannot be migrated stops
/// the process, which the orchestrator restarts) or only checks the schema. Without startup
/// migration, an unreachable database does not stop the process: it starts not ready, and
/// readiness keeps asking.
/// </summary>
internal sealed partial class StartupMigration(DatabaseMigrations migrations, IOptions<DatabaseOptions> options, ILogger<StartupMigration> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
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

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check the database schema at startup ({Reason}); not ready until the database answers and the schema is current")]
    private partial void LogDatabaseUnavailable(string reason);
}
