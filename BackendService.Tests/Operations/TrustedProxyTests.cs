using System.Net;
using System.Text.Json;
using BackendService.Tests.Support;
using BackendService.Tests.Users;

namespace BackendService.Tests.Operations;

/// <summary>
/// X-Forwarded-For is believed only from the proxies the settings name. Over real TCP from
/// 127.0.0.1, with a rate limit of one request per client: a spoofed header from a peer that is
/// not a known proxy changes neither the logged client address nor the rate-limit bucket.
/// </summary>
public sealed class TrustedProxyTests
{
    private string _connectionString = string.Empty;

    [OneTimeSetUp]
    public async Task CreateDatabaseAsync() =>
        _connectionString = await TestDatabase.CreateFreshAsync("backendservice_tests_proxies");

    [Test]
    public async Task FromAnUntrustedPeer_ASpoofedForwardedFor_ChangesNeitherTheBucketNorTheLoggedAddress()
    {
        var (statuses, logged) = await TwoClientsBehindOnePeerAsync(knownProxies: "10.9.9.9");

        Assert.That(statuses, Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }), "one bucket: the peer's");
        Assert.That(logged, Is.EqualTo(new[] { "127.0.0.1", "127.0.0.1" }));
    }

    [Test]
    public async Task FromATrustedProxy_EachForwardedClient_HasItsOwnBucketAndAddress()
    {
        var (statuses, logged) = await TwoClientsBehindOnePeerAsync(knownProxies: "127.0.0.1");

        Assert.That(statuses, Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.OK }), "a bucket per client");
        Assert.That(logged, Is.EqualTo(new[] { "203.0.113.7", "198.51.100.20" }));
    }

    private async Task<(HttpStatusCode[] Statuses, string?[] Logged)> TwoClientsBehindOnePeerAsync(string knownProxies)
    {
        await using var service = await PublishedService.StartReadyAsync(new Dictionary<string, string>
        {
            ["DATABASE_URL"] = _connectionString,
            ["ForwardedHeaders__KnownProxies"] = knownProxies,
            ["RateLimiting__Enabled"] = "true",
            ["RateLimiting__PermitLimit"] = "1",
            ["RateLimiting__WindowSeconds"] = "60",
        });
        using var client = new HttpClient { BaseAddress = service.BaseAddress };

        var statuses = new List<HttpStatusCode>();
        foreach (var forwardedFor in new[] { "203.0.113.7", "198.51.100.20" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, UsersApi.Path);
            request.Headers.Add("X-Forwarded-For", forwardedFor);
            using var response = await client.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        await service.SendSignalAsync("TERM");
        await service.WaitForExitAsync(TimeSpan.FromSeconds(30));
        var logged = service.Lines
            .Where(line => line.StartsWith('{') && line.Contains($"\"RequestPath\":\"{UsersApi.Path}\"", StringComparison.Ordinal))
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("ClientAddress").GetString())
            .ToArray();
        return ([.. statuses], logged);
    }
}
