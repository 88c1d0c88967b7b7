using BackendService.Api.Configuration;
using BackendService.Api.Observability;
using Microsoft.Extensions.Options;

namespace BackendService.Api.Hosting;

internal static class HttpServer
{
    /// <summary>
    /// Kestrel from <see cref="HttpServerOptions"/>: all interfaces on <c>PORT</c>, the body limit,
    /// no Server header; and a host shutdown budget that covers the drain delay plus the time
    /// in-flight requests get. Options are read when the server starts, so every
    /// configuration source (tests included) counts.
    /// </summary>
    public static WebApplicationBuilder ConfigureHttpServer(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var http = kestrel.ApplicationServices.GetRequiredService<IOptions<HttpServerOptions>>().Value;
            kestrel.ListenAnyIP(http.Port);
            if (kestrel.ApplicationServices.GetRequiredService<IOptions<ManagementOptions>>().Value.Port is { } management && management != http.Port)
            {
                kestrel.ListenAnyIP(management);
            }

            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = http.MaxRequestBodyBytes;

            // Kestrel's own refusal of a long request line is a bare 414; with room above our
            // limit, the app answers it as a problem instead (RequestLimits).
            kestrel.Limits.MaxRequestLineSize = Math.Max(kestrel.Limits.MaxRequestLineSize, 4 * http.MaxRequestTargetBytes);
        });

        builder.Services.AddOptions<HostOptions>().Configure<IOptions<HttpServerOptions>>((host, http) =>
            host.ShutdownTimeout = TimeSpan.FromSeconds(http.Value.DrainDelaySeconds + http.Value.ShutdownTimeoutSeconds));
        builder.Services.AddHostedService<GracefulShutdown>();
        return builder;
    }
}
