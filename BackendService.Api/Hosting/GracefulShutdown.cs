using BackendService.Api.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace BackendService.Api.Hosting;

/// <summary>
/// The first step of a stop (SIGTERM, Ctrl+C): the host has cancelled ApplicationStopping,
/// so readiness is 503 and responses say Connection: close; then an optional
/// drain delay passes while requests are still served, so a load balancer that polls
/// readiness stops sending. Only then does the host stop Kestrel, which refuses new
/// connections and lets in-flight requests finish within Http:ShutdownTimeoutSeconds.
/// </summary>
internal sealed partial class GracefulShutdown(IOptions<HttpServerOptions> options, ILogger<GracefulShutdown> logger) : IHostedLifecycleService
{
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        var drain = TimeSpan.FromSeconds(options.Value.DrainDelaySeconds);
        LogStopping(drain.TotalSeconds);
        if (drain > TimeSpan.Zero)
        {
            await Task.Delay(drain, cancellationToken);
        }
    }

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        LogStopped();
        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Stop requested: readiness is now 503; draining for {DrainSeconds} s before the listener closes")]
    private partial void LogStopping(double drainSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP server stopped; in-flight requests have finished")]
    private partial void LogStopped();
}

internal static class ConnectionDraining
{
    /// <summary>
    /// Once a stop has begun, every response asks the client to close its connection. Clients
    /// then open new connections (served until the listener closes, refused after), instead of
    /// reusing a keep-alive connection that the server closes under them when it stops, which a
    /// client sees as a failed request it cannot safely retry.
    /// </summary>
    public static IApplicationBuilder UseConnectionDraining(this IApplicationBuilder app)
    {
        var stopping = app.ApplicationServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        return app.Use((http, next) =>
        {
            if (stopping.IsCancellationRequested)
            {
                http.Response.Headers.Connection = "close";
            }

            return next(http);
        });
    }
}

/// <summary>Readiness fails as soon as a stop has begun.</summary>
internal sealed class ShutdownHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested ? HealthCheckResult.Unhealthy("The service is shutting down.") : HealthCheckResult.Healthy());
}
