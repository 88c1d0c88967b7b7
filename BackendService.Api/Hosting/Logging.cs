using System.Globalization;
using BackendService.Api.Http;
using BackendService.Api.Observability;
using BackendService.Api.Security;
using Microsoft.Extensions.Options;
using Serilog;
using Serilog.Configuration;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace BackendService.Api.Hosting;

/// <summary>
/// Serilog for everything: readable text in Development, compact JSON elsewhere (one event
/// per line for log shippers). Levels come from the <c>Serilog</c> configuration section,
/// so <c>Serilog__MinimumLevel__Default=Debug</c> in the environment works.
/// </summary>
internal static class Logging
{
    private const string TextTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} {TraceId} {Properties:j}{NewLine}{Exception}";

    private const int QueueLimit = 10_000;

    // A line reaches stdout within 100 ms; under load one write carries many lines.
    private static readonly BatchingOptions Batching = new()
    {
        BatchSizeLimit = 1_000,
        BufferingTimeLimit = TimeSpan.FromMilliseconds(100),
        EagerlyEmitFirstEvent = true,
        QueueLimit = QueueLimit,
    };

    /// <summary>Used until the host's logger exists, and for the first and last lines of the process.</summary>
    public static Serilog.ILogger CreateBootstrapLogger()
    {
        var configuration = new LoggerConfiguration().MinimumLevel.Information();
        return (IsDevelopment(Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT"))
            ? configuration.WriteTo.Console(outputTemplate: TextTemplate, formatProvider: CultureInfo.InvariantCulture)
            : configuration.WriteTo.Console(new RenderedCompactJsonFormatter())).CreateLogger();
    }

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
                    .Enrich.FromLogContext()

                    // The host logs a failed start with a stack trace; Program reports it
                    // instead, as one line when it is only a bad setting.
                    .MinimumLevel.Override("Microsoft.Extensions.Hosting.Internal.Host", LogEventLevel.Fatal);
                // Console I/O happens off the request path, on a background task; what is queued
                // is flushed when the host's logger is disposed at shutdown. If the queue ever
                // fills, events are dropped rather than requests slowed.
                if (development)
                {
                    logger.WriteTo.Async(sink => sink.Console(outputTemplate: TextTemplate, formatProvider: CultureInfo.InvariantCulture), bufferSize: QueueLimit);
                }
                else
                {
                    logger.WriteTo.Sink(new BatchedStandardOutputSink(new RenderedCompactJsonFormatter()), Batching);
                }
            },
            preserveStaticLogger: true);
        return builder;
    }

    /// <summary>
    /// One line per request: method, path (never the query or body, so no e-mail addresses),
    /// status, elapsed ms and, as on every event, the trace id. Successful probes and metric scrapes log at Debug.
    /// </summary>
    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app) =>
        app.UseSerilogRequestLogging(options =>
        {
            // This host's logger, not the static bootstrap one (see ConfigureLogging).
            options.Logger = app.ApplicationServices.GetRequiredService<Serilog.ILogger>();
            options.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";
            var authEnabled = app.ApplicationServices.GetRequiredService<IOptions<AuthOptions>>().Value.Enabled;
            options.EnrichDiagnosticContext = (diagnostics, http) =>
            {
                // The TCP peer, or the client a trusted proxy named (ForwardedHeaders settings).
                diagnostics.Set("ClientAddress", http.ClientAddress());
                if (!authEnabled)
                {
                    diagnostics.Set("Auth", "disabled");
                }
                else if (CallerIdentity.Read(http).Name is { } caller)
                {
                    // Who called: the OAuth client (or subject), never a token or an e-mail address.
                    diagnostics.Set("Caller", caller);
                }
            };
            options.GetLevel = (http, _, exception) =>
                exception is not null || http.Response.StatusCode >= StatusCodes.Status500InternalServerError ? LogEventLevel.Error
                : OperationalPaths.Contains(http.Request.Path) && http.Response.StatusCode < 400 ? LogEventLevel.Debug
                : LogEventLevel.Information;
        });

    private static bool IsDevelopment(string? environment) =>
        string.Equals(environment, Environments.Development, StringComparison.OrdinalIgnoreCase);
}
