using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BackendService.Infrastructure.Persistence;

/// <summary>
/// Before the server takes requests: applies pending migrations (<c>Database:MigrateOnStartup</c>,
/// the default; a database that cannot be migrated stops the process, which the orchestrator
/// restarts) or only checks the schema. Without startup migration, an unreachable database does
/// not stop the process: it starts not ready, and readiness keeps asking. The host starts the
/// server after every other hosted service, so the port opens only once this has finished.
/// </summary>
internal sealed partial class StartupMigration(DatabaseMigrations migrations, IOptions<DatabaseOptions> options, ILogger<StartupMigration> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check the database schema at startup ({Reason}); not ready until the database answers and the schema is current")]
    private partial void LogDatabaseUnavailable(string reason);
}
