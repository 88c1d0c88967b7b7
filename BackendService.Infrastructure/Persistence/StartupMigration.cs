using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BackendService.Infrastructure.Persistence;

/// <summary>
/// While the host starts, before the server takes requests: applies pending migrations
/// (<c>Database:MigrateOnStartup</c>, the default) or only checks the schema, leaving the
/// process not ready until a migration Job has run. A database that cannot be reached stops
/// the process, which the orchestrator restarts.
/// </summary>
internal sealed class StartupMigration(DatabaseMigrations migrations, IOptions<DatabaseOptions> options) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        if (options.Value.MigrateOnStartup)
        {
            await migrations.ApplyAsync(cancellationToken);
        }
        else
        {
            await migrations.CheckAsync(cancellationToken);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
