using System.Globalization;
using System.Net;
using BackendService.Tests.Support;

namespace BackendService.Tests.Security;

/// <summary>
/// What the public port exposes in Production, as the service ships: no metrics when they have
/// a management port of their own, and no Swagger UI unless a setting asks for it.
/// </summary>
public sealed class ManagementSurfaceTests
{
    private string _connectionString = string.Empty;

    [OneTimeSetUp]
    public async Task CreateDatabaseAsync() =>
        _connectionString = await TestDatabase.CreateFreshAsync("backendservice_tests_management");

    [Test]
    public async Task WithAManagementPort_MetricsAreServedThere_AndNotOnThePublicPort()
    {
        var management = ExternalProcess.FreeLoopbackPort();
        await using var service = await StartAsync(new() { ["Management__Port"] = management.ToString(CultureInfo.InvariantCulture) });
        using var client = new HttpClient();

        using var onPublic = await client.GetAsync(new Uri(service.BaseAddress, "/metrics"));
        using var onManagement = await client.GetAsync($"http://127.0.0.1:{management}/metrics");

        Assert.That(onPublic.StatusCode, Is.Not.EqualTo(HttpStatusCode.OK));
        Assert.That(await onPublic.Content.ReadAsStringAsync(), Does.Not.Contain("http_server_request_duration"));
        Assert.That(onManagement.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await onManagement.Content.ReadAsStringAsync(), Does.Contain("# TYPE"));
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
