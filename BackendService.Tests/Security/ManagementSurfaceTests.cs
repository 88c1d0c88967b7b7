using System.Globalization;
using System.Net;
using BackendService.Tests.Support;

namespace BackendService.Tests.Security;

/// <summary>
/// What each port exposes in Production, as the service ships: with a management port, metrics
/// and probes there and nowhere else, the API and Swagger on the public port only, whatever Host
/// a request names; and no Swagger UI unless a setting asks for it.
/// </summary>
public sealed class ManagementSurfaceTests
{
    private string _connectionString = string.Empty;

    [OneTimeSetUp]
    public async Task CreateDatabaseAsync() =>
        _connectionString = await TestDatabase.CreateFreshAsync("backendservice_tests_management");

    [Test]
    public async Task WithAManagementPort_TheSocketDecides_MetricsAndProbesThereOnly_TheApiOnThePublicPortOnly()
    {
        var management = ExternalProcess.FreeLoopbackPort();
        await using var service = await StartAsync(new()
        {
            ["Management__Port"] = management.ToString(CultureInfo.InvariantCulture),
            ["Swagger__Enabled"] = "true",
        });
        var publicPort = service.Port;
        using var client = new HttpClient();

        // Each request also carries the other port in a forged Host header: it changes nothing.
        async Task<HttpStatusCode> StatusAsync(int port, string path, int forgedHostPort)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}{path}");
            request.Headers.Host = $"x:{forgedHostPort}";
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }

        var onPublic = new Dictionary<string, HttpStatusCode>();
        var onManagement = new Dictionary<string, HttpStatusCode>();
        foreach (var path in new[] { "/metrics", "/health/ready", "/health/live", "/api/v1/users", "/swagger/index.html" })
        {
            onPublic[path] = await StatusAsync(publicPort, path, forgedHostPort: management);
            onManagement[path] = await StatusAsync(management, path, forgedHostPort: publicPort);
        }

        using var scrape = await client.GetAsync($"http://127.0.0.1:{management}/metrics");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(onPublic, Is.EquivalentTo(new Dictionary<string, HttpStatusCode>
            {
                ["/metrics"] = HttpStatusCode.NotFound,
                ["/health/ready"] = HttpStatusCode.NotFound,
                ["/health/live"] = HttpStatusCode.NotFound,
                ["/api/v1/users"] = HttpStatusCode.OK,
                ["/swagger/index.html"] = HttpStatusCode.OK,
            }));
            Assert.That(onManagement, Is.EquivalentTo(new Dictionary<string, HttpStatusCode>
            {
                ["/metrics"] = HttpStatusCode.OK,
                ["/health/ready"] = HttpStatusCode.OK,
                ["/health/live"] = HttpStatusCode.OK,
                ["/api/v1/users"] = HttpStatusCode.NotFound,
                ["/swagger/index.html"] = HttpStatusCode.NotFound,
            }));
            Assert.That(await scrape.Content.ReadAsStringAsync(), Does.Contain("# TYPE"));
        }
    }

    [TestCase(null, false)]
    [TestCase("true", true)]
    public async Task SwaggerInProduction_OnlyWhenTheSettingSaysSo(string? enabled, bool served)
    {
        var environment = new Dictionary<string, string>();
        if (enabled is not null)
        {
            environment["Swagger__Enabled"] = enabled;
        }

        await using var service = await StartAsync(environment);
        using var client = new HttpClient { BaseAddress = service.BaseAddress };

        using var ui = await client.GetAsync("/swagger/index.html");
        using var document = await client.GetAsync("/swagger/v1/swagger.json");

        var expected = served ? HttpStatusCode.OK : HttpStatusCode.NotFound;
        Assert.That((ui.StatusCode, document.StatusCode), Is.EqualTo((expected, expected)));
    }

    private Task<PublishedService> StartAsync(Dictionary<string, string> environment)
    {
        environment["DATABASE_URL"] = _connectionString;
        return PublishedService.StartReadyAsync(environment);
    }
}
