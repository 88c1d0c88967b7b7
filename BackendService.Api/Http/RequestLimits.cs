using System.Globalization;
using System.Threading.RateLimiting;
using BackendService.Api.Configuration;
using BackendService.Api.Errors;
using BackendService.Api.Observability;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.Options;

namespace BackendService.Api.Http;

/// <summary>Request timeout and per-client rate limit, both from ASP.NET Core's own middleware.</summary>
internal static class RequestLimits
{
    public static IServiceCollection AddRequestLimits(this IServiceCollection services)
    {
        // The timeout cancels HttpContext.RequestAborted, which flows into EF and Npgsql, so the
        // running SQL is cancelled on the server too; the client gets a 504 problem.
        services.AddRequestTimeouts();
        services.AddOptions<RequestTimeoutOptions>().Configure<IOptions<HttpServerOptions>>((timeouts, http) =>
            timeouts.DefaultPolicy = new RequestTimeoutPolicy
            {
                Timeout = TimeSpan.FromSeconds(http.Value.RequestTimeoutSeconds),
                TimeoutStatusCode = StatusCodes.Status504GatewayTimeout,
                WriteTimeoutResponse = context => ProblemResponses.WriteAsync(
                    context,
                    StatusCodes.Status504GatewayTimeout,
                    $"The request did not complete within {http.Value.RequestTimeoutSeconds} s and was cancelled. It may be retried.").AsTask(),
            });

        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(PartitionByClient);
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (context, _) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
                    ? (int)Math.Ceiling(wait.TotalSeconds)
                    : 1;
                context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await ProblemResponses.WriteAsync(
                    context.HttpContext,
                    StatusCodes.Status429TooManyRequests,
                    $"Too many requests from this client. Retry after {retryAfter} s.");
            };
        });
        return services;
    }

    public static WebApplication UseRequestLimits(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<RateLimitOptions>>().Value.Enabled)
        {
            app.UseRateLimiter();
        }

        app.UseRequestTimeouts();
        return app;
    }

    // One fixed window per client IP; probes and scrapes are never limited, or a busy client could get a
    // healthy pod taken out of its load balancer.
    private static RateLimitPartition<string> PartitionByClient(HttpContext http)
    {
        if (OperationalPaths.Contains(http.Request.Path))
        {
            return RateLimitPartition.GetNoLimiter("operational");
        }

        var options = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        var client = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        return RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.PermitLimit,
            Window = TimeSpan.FromSeconds(options.WindowSeconds),
            QueueLimit = 0,
        });
    }
}
