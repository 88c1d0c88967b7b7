using System.Globalization;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace BackendService.Api.Hosting;

internal static class HostingExtensions
{
    private const int DefaultPort = 8080;

    /// <summary>The contract's request body limit: larger bodies get 413.</summary>
    public const long MaxRequestBodyBytes = 10 * 1024 * 1024;

    /// <summary>
    /// Listens on all interfaces on <c>PORT</c> (default 8080), 12-factor style. Read when the
    /// server starts rather than now, so that every configuration source (tests included) counts.
    /// </summary>
    public static WebApplicationBuilder ConfigureHttpEndpoint(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var configuration = kestrel.ApplicationServices.GetRequiredService<IConfiguration>();
            kestrel.ListenAnyIP(ParsePort(configuration["PORT"]));
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
        });
        return builder;
    }

    private static int ParsePort(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return DefaultPort;
        }

        return int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535
            ? port
            : throw new InvalidOperationException("PORT must be a TCP port number between 1 and 65535.");
    }

    /// <summary>
    /// Serilog for everything: readable text in Development, compact JSON elsewhere (one event
    /// per line for log shippers). Levels come from the <c>Serilog</c> configuration section,
    /// so <c>Serilog__MinimumLevel__Default=Debug</c> in the environment works.
    /// </summary>
    public static WebApplicationBuilder ConfigureLogging(this WebApplicationBuilder builder)
    {
        var development = builder.Environment.IsDevelopment();

        // preserveStaticLogger: each host gets its own logger, so several hosts in one test
        // process do not fight over the static one.
        builder.Services.AddSerilog(
            (services, logger) =>
            {
                logger.ReadFrom.Configuration(builder.Configuration)
                    .ReadFrom.Services(services)
                    .Enrich.FromLogContext();
                if (development)
                {
                    logger.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} {TraceId} {Properties:j}{NewLine}{Exception}");
                }
                else
                {
                    logger.WriteTo.Console(new RenderedCompactJsonFormatter());
                }
            },
            preserveStaticLogger: true);
        return builder;
    }

    /// <summary>One line per request; successful probes are logged below Information.</summary>
    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app) =>
        app.UseSerilogRequestLogging(options =>
        {
            // This host's logger, not the static bootstrap one (see ConfigureLogging).
            options.Logger = app.ApplicationServices.GetRequiredService<Serilog.ILogger>();
            options.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";
            options.GetLevel = (http, _, exception) =>
                exception is not null || http.Response.StatusCode >= StatusCodes.Status500InternalServerError ? LogEventLevel.Error
                : http.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase) ? LogEventLevel.Debug
                : LogEventLevel.Information;
        });
}
