using System.Globalization;
using System.Threading.RateLimiting;
using BackendService.Api.Configuration;
using BackendService.Api.Observability;
using BackendService.Api.Security;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace BackendService.Api.Http;

/// <summary>Request timeout and per-caller rate limit, both from ASP.NET Core's own middleware.</summary>
internal static class RequestLimits
{
    public static IServiceCollection AddRequestLimits(this IServiceCollection services)
    {
        // The timeout cancels HttpContext.RequestAborted, which flows into EF and Npgsql, so the
        // running SQL is cancelled on the server too; the client gets a 504 problem (the body
        // from status code pages, like every bodiless error).
        services.AddRequestTimeouts();
        services.AddOptions<RequestTimeoutOptions>().Configure<IOptions<HttpServerOptions>>((timeouts, http) =>
            timeouts.DefaultPolicy = new RequestTimeoutPolicy
            {
                Timeout = TimeSpan.FromSeconds(http.Value.RequestTimeoutSeconds),
                TimeoutStatusCode = StatusCodes.Status504GatewayTimeout,
            });

        // No resource document is more than a few KB: the API's actions (every controller) take a
        // small body and refuse a larger one with 413 before it is read; the server-wide
        // MaxRequestBodyBytes stays the bound for everything else.
        services.AddOptions<MvcOptions>().Configure<IOptions<HttpServerOptions>>((mvc, http) =>
            mvc.Filters.Add(new RequestSizeLimitAttribute(http.Value.MaxApiRequestBodyBytes)));

        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(PartitionByClient);
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, _) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
                    ? (int)Math.Ceiling(wait.TotalSeconds)
                    : 1;
                context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                return ValueTask.CompletedTask;
            };
        });
        return services;
    }

    public static WebApplication UseRequestLimits(this WebApplication app)
    {
        app.UseRequestTargetLimit();
        app.UseRequestTimeouts();
        return app;
    }

    /// <summary>After authentication (the partition is the caller), before authorisation (so refused tokens count too, by address).</summary>
    public static WebApplication UseCallerRateLimits(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<RateLimitOptions>>().Value.Enabled)
        {
            app.UseRateLimiter();
        }

        return app;
    }

    // Kestrel refuses a request line over its own limit with a bare 414 before the app sees it;
    // that limit is set well above ours (HttpServer), so every ordinary overlong URL gets here
    // and is answered as a problem.
    private static void UseRequestTargetLimit(this WebApplication app)
    {
        var limit = app.Services.GetRequiredService<IOptions<HttpServerOptions>>().Value.MaxRequestTargetBytes;
        app.Use((http, next) =>
        {
            if ((http.Request.Path.Value?.Length ?? 0) + (http.Request.QueryString.Value?.Length ?? 0) > limit)
            {
                http.Response.StatusCode = StatusCodes.Status414UriTooLong;
                return Task.CompletedTask;
            }

            return next(http);
        });
    }

    // One fixed window per caller: the token's client (azp, client_id, else sub) once it is
    // authenticated, so clients behind one NAT do not share a bucket; else the client address,
    // an IPv6 one by its /64 (one host owns a whole /64). The address is the socket's unless a
    // trusted proxy forwarded it (TrustedProxies): a forged X-Forwarded-For opens no fresh bucket.
    // Probes and scrapes are never limited, or a busy client could get a healthy pod taken out of
    // its load balancer.
    private static RateLimitPartition<string> PartitionByClient(HttpContext http)
    {
        if (OperationalPaths.Contains(http.Request.Path))
        {
            return RateLimitPartition.GetNoLimiter("operational");
        }

        var options = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        return RateLimitPartition.GetFixedWindowLimiter(Caller(http), _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.PermitLimit,
            Window = TimeSpan.FromSeconds(options.WindowSeconds),
            QueueLimit = 0,
        });
    }

    internal static string Caller(HttpContext http)
    {
        // An anonymous request (and the API with authentication off) carries no claims.
        if (CallerIdentity.Read(http) is { Name: { } client } caller)
        {
            return $"client {caller.Issuer} {client}";
        }

        var address = http.Connection.RemoteIpAddress;
        if (address is { IsIPv4MappedToIPv6: true })
        {
            address = address.MapToIPv4();
        }

        if (address is { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 })
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            return $"address {new System.Net.IPAddress(bytes)}/64";
        }

        return $"address {address?.ToString() ?? "unknown"}";
    }
}
