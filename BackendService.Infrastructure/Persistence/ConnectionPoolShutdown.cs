using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace BackendService.Infrastructure.Persistence;

/// <summary>
/// Closes the connection pool as the last step of a stop, once the HTTP server has stopped and
/// in-flight requests have finished, so PostgreSQL sees the sessions end cleanly rather than
/// when the process dies.
/// </summary>
internal sealed partial class ConnectionPoolShutdown(NpgsqlDataSource dataSource, ILogger<ConnectionPoolShutdown> logger) : IHostedLifecycleService
{
    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        await dataSource.DisposeAsync();
        LogClosed();
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Database connection pool closed")]
    private partial void LogClosed();
}
