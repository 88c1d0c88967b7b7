using System.Net;
using BackendService.Tests.Support;
using BackendService.Tests.Users;

namespace BackendService.Tests.Observability;

/// <summary>
/// <c>/metrics</c> in Prometheus text format: requests by route and status, Npgsql's pool and
/// commands, the runtime. (Kestrel's connection metrics need a real server: ContainerImageTests.)
/// </summary>
public sealed class MetricsTests : UsersTest
{
    [Test]
    public async Task Metrics_HaveRequestDurationByRouteAndStatus_DatabaseAndRuntimeSeries()
    {
        await CreateUserAsync("metrics@example.com");
        using (var missing = await Client.GetAsync($"{UsersPath}/{Guid.NewGuid()}"))
        {
            Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        }

        using var response = await Client.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        var lines = text.Split('\n');

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
            Assert.That(lines, Has.Some.Matches<string>(l => l!.StartsWith("http_server_request_duration_seconds_bucket{", StringComparison.Ordinal)
                && l.Contains("http_route=\"api/v1/users/{id", StringComparison.Ordinal) && l.Contains("http_response_status_code=\"404\"", StringComparison.Ordinal)),
                "duration histogram of GET by id, answered 404");
            Assert.That(lines, Has.Some.Matches<string>(l => l!.StartsWith("http_server_request_duration_seconds_count{", StringComparison.Ordinal)
                && l.Contains("http_request_method=\"POST\"", StringComparison.Ordinal) && l.Contains("http_response_status_code=\"201\"", StringComparison.Ordinal)));
            Assert.That(lines, Has.Some.StartsWith("db_client_operation_duration_seconds_bucket{"), "Npgsql's statement durations");
            Assert.That(lines.Where(l => !l.StartsWith('#')).Select(l => l.Split('{')[0]).Distinct(), Has.None.StartsWith("db_client_operation_npgsql_executing").And.None.StartsWith("db_client_operation_npgsql_bytes_"),
                "not the per-statement instruments nobody reads (executing, bytes read and written)");
            Assert.That(lines, Has.Some.StartsWith("dotnet_"), ".NET runtime metrics");
            Assert.That(lines.Where(l => l.StartsWith("db_client_", StringComparison.Ordinal) && l.Contains("pool_name", StringComparison.Ordinal)),
                Has.Some.Contains("db_client_connection_pool_name=\"backendservice\""), "the pool is labelled by name, not by its connection string");
        }
    }

    [Test]
    public async Task Metrics_SwitchedOff_AreNotServed()
    {
        await using var factory = new ApiFactory(TestHost.ConnectionString, new Dictionary<string, string?> { ["Telemetry:MetricsEnabled"] = "false" });
        using var client = factory.CreateClient();
        using var response = await client.GetAsync("/metrics");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
