using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace BackendService.Tests.Support;

/// <summary>
/// The real service (Program, its pipeline and its DI) over a real PostgreSQL database.
/// By default it runs on the in-memory TestServer; with <c>kestrel: true</c> it listens on a
/// loopback port through real Kestrel, for what only a real server does (body size limits,
/// connection handling).
/// </summary>
internal sealed class ApiFactory : WebApplicationFactory<Program>
{
    private readonly string _connectionString;
    private readonly IReadOnlyDictionary<string, string?> _settings;

    public ApiFactory(string connectionString, IReadOnlyDictionary<string, string?>? settings = null, bool kestrel = false)
    {
        _connectionString = connectionString;
        _settings = settings ?? new Dictionary<string, string?>();
        if (kestrel)
        {
            Port = ExternalProcess.FreeLoopbackPort();
            UseKestrel();
        }
    }

    /// <summary>The Kestrel port, or 0 on TestServer.</summary>
    public int Port { get; }

    /// <summary>A client for the Kestrel server over real TCP.</summary>
    public HttpClient CreateKestrelClient()
    {
        StartServer();
        return new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}") };
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(Settings()));
    }

    // App configuration (above) is applied only when Program calls Build, after the services
    // are registered; host configuration is there from the start, for the few settings read
    // while registering (which telemetry to switch on). Both hold the same values.
    protected override IHost CreateHost(IHostBuilder builder)
    {
        builder.ConfigureHostConfiguration(config => config.AddInMemoryCollection(Settings()));
        return base.CreateHost(builder);
    }

    private Dictionary<string, string?> Settings()
    {
        var values = new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = _connectionString,
            ["PORT"] = Port == 0 ? null : Port.ToString(System.Globalization.CultureInfo.InvariantCulture),

            // Keep the test output readable; failures still show errors.
            // The API open on purpose, as an integration-test environment runs it; the security
            // tests turn authentication on and bring an identity provider.
            ["Auth:Enabled"] = "false",

            ["Serilog:MinimumLevel:Default"] = "Error",
            ["Serilog:MinimumLevel:Override:Microsoft.AspNetCore"] = "Error",
        };
        foreach (var (key, value) in _settings)
        {
            values[key] = value;
        }

        return values;
    }
}
