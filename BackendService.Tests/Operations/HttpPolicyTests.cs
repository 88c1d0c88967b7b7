using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using BackendService.Tests.Support;
using BackendService.Tests.Users;

namespace BackendService.Tests.Operations;

/// <summary>Request timeout, CORS, rate limiting and response headers, each switched by configuration.</summary>
public sealed class HttpPolicyTests : UsersTest
{
    private const string AllowedOrigin = "https://app.example.com";

    [Test]
    public async Task RequestTimeout_Gives504Problem_AndCancelsTheRunningSql()
    {
        await using var factory = new ApiFactory(TestHost.ConnectionString, new Dictionary<string, string?>
        {
            ["Http:RequestTimeoutSeconds"] = "1",
            ["Database:CommandTimeoutSeconds"] = "30",
        });
        using var client = factory.CreateClient();
        var (user, _) = await CreateUserAsync("slow@example.com");

        // Our lock makes the service's query wait; only the request timeout can end it.
        await using var blocker = await TestDatabase.LockUsersTableAsync(TestHost.ConnectionString);

        var watch = Stopwatch.StartNew();
        using var response = await client.GetAsync($"{UsersPath}/{user.Id}");
        watch.Stop();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.GatewayTimeout));
        var problem = await ExpectProblemAsync(response);
        Assert.That(problem.GetProperty("status").GetInt32(), Is.EqualTo(504));
        Assert.That(problem.GetProperty("traceId").GetString(), Does.Match("^[0-9a-f]{32}$"));
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));

        // The service's statement must be gone from the server, not left waiting on our lock.
        var waiting = await CountServiceQueriesAsync();
        for (var i = 0; i < 20 && waiting > 0; i++)
        {
            await Task.Delay(100);
            waiting = await CountServiceQueriesAsync();
        }

        Assert.That(waiting, Is.Zero, "no query of the service is left running in pg_stat_activity");
    }

    [Test]
    public async Task Cors_AllowedOrigin_GetsPreflightAndExposedHeaders()
    {
        await using var factory = CorsFactory();
        using var client = factory.CreateClient();

        using var preflight = new HttpRequestMessage(HttpMethod.Options, UsersPath);
        preflight.Headers.Add("Origin", AllowedOrigin);
        preflight.Headers.Add("Access-Control-Request-Method", "PUT");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type,if-match");
        using var preflightResponse = await client.SendAsync(preflight);

        Assert.That(preflightResponse.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(preflightResponse.Headers.GetValues("Access-Control-Allow-Origin"), Is.EqualTo(new[] { AllowedOrigin }));
        Assert.That(string.Join(",", preflightResponse.Headers.GetValues("Access-Control-Allow-Methods")), Does.Contain("PUT"));

        using var get = new HttpRequestMessage(HttpMethod.Get, UsersPath);
        get.Headers.Add("Origin", AllowedOrigin);
        using var getResponse = await client.SendAsync(get);
        Assert.That(getResponse.Headers.GetValues("Access-Control-Allow-Origin"), Is.EqualTo(new[] { AllowedOrigin }));
        Assert.That(string.Join(",", getResponse.Headers.GetValues("Access-Control-Expose-Headers")), Does.Contain("ETag").And.Contain("Location").And.Contain("Link"));
    }

    [Test]
    public async Task Cors_DisallowedOriginOrMethod_GetsNoAllowOrigin()
    {
        await using var factory = CorsFactory();
        using var client = factory.CreateClient();

        using var otherOrigin = new HttpRequestMessage(HttpMethod.Get, UsersPath);
        otherOrigin.Headers.Add("Origin", "https://evil.example.com");
        using var otherOriginResponse = await client.SendAsync(otherOrigin);

        using var patch = new HttpRequestMessage(HttpMethod.Options, UsersPath);
        patch.Headers.Add("Origin", AllowedOrigin);
        patch.Headers.Add("Access-Control-Request-Method", "PATCH");
        using var patchResponse = await client.SendAsync(patch);

        // The control: the same factory answers the allowed origin, so CORS is on and chooses.
        using var allowedOrigin = new HttpRequestMessage(HttpMethod.Get, UsersPath);
        allowedOrigin.Headers.Add("Origin", AllowedOrigin);
        using var allowedOriginResponse = await client.SendAsync(allowedOrigin);
        Assert.That(allowedOriginResponse.Headers.Contains("Access-Control-Allow-Origin"), Is.True, "CORS answers the allowed origin");

        Assert.That(otherOriginResponse.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
        // The browser refuses PATCH because it is not among the methods the preflight allows.
        var allowed = patchResponse.Headers.TryGetValues("Access-Control-Allow-Methods", out var methods) ? string.Join(",", methods) : string.Empty;
        Assert.That(allowed, Does.Not.Contain("PATCH"));
    }

    [Test]
    public async Task Cors_IsClosedByDefault()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, UsersPath);
        request.Headers.Add("Origin", AllowedOrigin);

        using var response = await Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
    }

    [Test]
    public async Task RateLimit_Gives429ProblemWithRetryAfter_AndExemptsHealth()
    {
        await using var factory = new ApiFactory(TestHost.ConnectionString, new Dictionary<string, string?>
        {
            ["RateLimiting:Enabled"] = "true",
            ["RateLimiting:PermitLimit"] = "3",
            ["RateLimiting:WindowSeconds"] = "60",
        });
        using var client = factory.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            // A forged X-Forwarded-For from a sender that is not a trusted proxy opens no fresh bucket.
            using var request = new HttpRequestMessage(HttpMethod.Get, UsersPath);
            request.Headers.Add("X-Forwarded-For", $"203.0.113.{i + 1}");
            using var response = await client.SendAsync(request);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                var problem = await ExpectProblemAsync(response);
                Assert.That(problem.GetProperty("status").GetInt32(), Is.EqualTo(429));
                Assert.That(response.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero));
            }
        }

        Assert.That(statuses, Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        for (var i = 0; i < 10; i++)
        {
            using var ready = await client.GetAsync("/health/ready");
            using var live = await client.GetAsync("/health/live");
            Assert.That((ready.StatusCode, live.StatusCode), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.OK)), "probes are never rate limited");
        }
    }

    [TestCase("2001:db8:1:2::1", "2001:db8:1:2:ffff::9", true)]
    [TestCase("2001:db8:1:2::1", "2001:db8:1:3::1", false)]
    [TestCase("::ffff:192.0.2.7", "192.0.2.7", true)]
    [TestCase("192.0.2.7", "192.0.2.8", false)]
    public void RateLimit_AnonymousCallersAreTheirAddress_IPv6ByIts64(string first, string second, bool oneBucket)
    {
        static string CallerFrom(string address) =>
            Api.Http.RequestLimits.Caller(new Microsoft.AspNetCore.Http.DefaultHttpContext { Connection = { RemoteIpAddress = System.Net.IPAddress.Parse(address) } });

        Assert.That(CallerFrom(first) == CallerFrom(second), Is.EqualTo(oneBucket), $"{CallerFrom(first)} / {CallerFrom(second)}");
    }

    [Test]
    public async Task RateLimit_IsOffByDefault()
    {
        for (var i = 0; i < 150; i++)
        {
            using var response = await Client.GetAsync($"{UsersPath}?limit=1");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"request {i}");
        }
    }

    [Test]
    public async Task RealServer_SendsNoServerHeader_AndNoSniff()
    {
        await using var kestrel = new ApiFactory(TestHost.ConnectionString, kestrel: true);
        using var client = kestrel.CreateKestrelClient();

        using var response = await client.PostAsJsonAsync(UsersPath, new { email = "headers@example.com", name = "Headers" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(response.Headers.Server, Is.Empty);
        Assert.That(response.Headers.GetValues("X-Content-Type-Options"), Is.EqualTo(new[] { "nosniff" }));
    }

    private static ApiFactory CorsFactory() =>
        new(TestHost.ConnectionString, new Dictionary<string, string?> { ["Cors:AllowedOrigins"] = $"{AllowedOrigin}, http://localhost:5173" });

    private static Task<long> CountServiceQueriesAsync() => TestDatabase.ScalarAsync(
        TestHost.ConnectionString,
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'BackendService' AND state = 'active' AND pid <> pg_backend_pid()");
}
