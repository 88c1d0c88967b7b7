using BackendService.Api;
using BackendService.Api.Hosting;
using BackendService.Application;
using BackendService.Infrastructure;
using Serilog;

// A logger before anything else, so that a failure while starting is logged too.
Log.Logger = new LoggerConfiguration().WriteTo.Console().CreateBootstrapLogger();

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.ConfigureLogging().ConfigureHttpEndpoint();
    builder.Services
        .AddApplication()
        .AddInfrastructure(builder.Configuration)
        .AddApi();

    var app = builder.Build();
    app.UseApi();

    // Migrations run while the host starts (DatabaseMigrator), before the port is opened.
    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (ex is not HostAbortedException)
{
    Log.Fatal(ex, "BackendService failed to start or stopped unexpectedly");
    return 1;
}
finally
{
    await Log.CloseAndFlushAsync();
}

/// <summary>Entry point; public so that tests can host the app with WebApplicationFactory.</summary>
public partial class Program;
