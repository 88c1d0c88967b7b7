using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BackendService.Tests.Support;
using BackendService.Tests.Users;

namespace BackendService.Tests.Operations;

/// <summary>
/// The database refusing connections, running out of pooled connections, or hanging: the
/// service answers 503 with Retry-After quickly, never hangs or leaks internals, keeps its
/// liveness, and recovers on its own when the database is back.
/// </summary>
public sealed class DatabaseTroubleTests
{
    private readonly FaultCluster _cluster = new();

    [OneTimeSetUp]
    public Task StartClusterAsync() => _cluster.StartAsync();

    [OneTimeTearDown]
    public Task StopClusterAsync() => _cluster.StopAsync();

    [Test]
    public async Task DatabaseDown_Gives503Fast_ReadinessFails_LivenessHolds_AndRecovers()
    {
        await using var factory = new ApiFactory(_cluster.ConnectionString);
        using var client = factory.CreateClient();
        await AssertCreatedAsync(client);

        await _cluster.StopAsync();
        try
        {
            var watch = Stopwatch.StartNew();
            using var create = await PostUserAsync(client);
            var toFirst503 = watch.Elapsed;
            await AssertUnavailableAsync(create);
            Assert.That(toFirst503, Is.LessThan(TimeSpan.FromSeconds(3)), "within the acquire timeout");
            TestContext.Out.WriteLine($"database stopped: first 503 after {toFirst503.TotalMilliseconds:0} ms");

            using var get = await new UsersApi(client).GetAsync(Guid.NewGuid());
            await AssertUnavailableAsync(get);
            await AssertReadinessAsync(client, HttpStatusCode.ServiceUnavailable);
            using var live = await client.GetAsync("/health/live");
            Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
        finally
        {
            await _cluster.StartAsync();
        }

        var recovery = await TimeUntilCreatedAsync(client);
        TestContext.Out.WriteLine($"database restarted: first 201 after {recovery.TotalMilliseconds:0} ms");
        await AssertReadinessAsync(client, HttpStatusCode.OK);
    }

    [Test]
    public async Task PoolExhausted_Gives503AfterTheAcquireTimeout_AndTheWaitingRequestsComplete()
    {
        await using var factory = new ApiFactory(_cluster.ConnectionString, new Dictionary<string, string?>
        {
            ["Database:MaxPoolSize"] = "2",
            ["Database:MinPoolSize"] = "0",
            ["Database:AcquireTimeoutSeconds"] = "2",
            ["Database:CommandTimeoutSeconds"] = "30",
        });
        using var client = factory.CreateClient();
        var (id, _) = await AssertCreatedAsync(client);

        // Two requests wait on a lock we hold, so they hold both pooled connections.
        await using var blocker = await TestDatabase.LockUsersTableAsync(_cluster.ConnectionString);
        var blocked = Enumerable.Range(0, 2).Select(_ => new UsersApi(client).GetAsync(id)).ToList();
        await Task.Delay(500);

        var watch = Stopwatch.StartNew();
        using var third = await new UsersApi(client).GetAsync(id);
        watch.Stop();

        await AssertUnavailableAsync(third);
        Assert.That(watch.Elapsed, Is.GreaterThan(TimeSpan.FromSeconds(1.5)).And.LessThan(TimeSpan.FromSeconds(4)), "fails after the 2 s acquire timeout, not before and not much later");
        TestContext.Out.WriteLine($"pool exhausted: 503 after {watch.ElapsedMilliseconds} ms (acquire timeout 2 s)");

        await blocker.DisposeAsync();
        foreach (var response in await Task.WhenAll(blocked))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            response.Dispose();
        }
    }

    [Test]
    public async Task DatabaseHangs_Gives503WithoutHanging_ReadinessAnswersWithin1s_AndRecovers()
    {
        await using var factory = new ApiFactory(_cluster.ConnectionString);
        using var client = factory.CreateClient();
        await AssertCreatedAsync(client);

        await _cluster.FreezeAsync();
        try
        {
            // First on a pooled connection that is open but whose server no longer answers: the
            // statement times out (3 s), then Npgsql tries to cancel it over a new connection,
            // which the hung server accepts but never answers (the 3 s connection timeout).
            var watch = Stopwatch.StartNew();
            using var create = await PostUserAsync(client);
            watch.Stop();
            await AssertUnavailableAsync(create);
            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(7.5)));
            TestContext.Out.WriteLine($"database hung: POST 503 after {watch.ElapsedMilliseconds} ms");

            // Then on a new connection, which the server accepts but never answers.
            watch.Restart();
            using var get = await new UsersApi(client).GetAsync(Guid.NewGuid());
            watch.Stop();
            await AssertUnavailableAsync(get);
            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(4.5)));
            TestContext.Out.WriteLine($"database hung: GET 503 after {watch.ElapsedMilliseconds} ms");

            var probe = Stopwatch.StartNew();
            await AssertReadinessAsync(client, HttpStatusCode.ServiceUnavailable);
            probe.Stop();
            Assert.That(probe.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)));
            TestContext.Out.WriteLine($"database hung: readiness 503 after {probe.ElapsedMilliseconds} ms");

            using var live = await client.GetAsync("/health/live");
            Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
        finally
        {
            await _cluster.ThawAsync();
        }

        var recovery = await TimeUntilCreatedAsync(client);
        TestContext.Out.WriteLine($"database thawed: first 201 after {recovery.TotalMilliseconds:0} ms");
    }

    private static async Task<(Guid Id, string Email)> AssertCreatedAsync(HttpClient client)
    {
        using var response = await PostUserAsync(client);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("id").GetGuid(), body.GetProperty("email").GetString()!);
    }

    private static Task<HttpResponseMessage> PostUserAsync(HttpClient client) =>
        new UsersApi(client).CreateAsync(new { email = $"{Guid.NewGuid():N}@example.com", name = "Fault Test" });

    private static async Task AssertUnavailableAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), body);
            Assert.That(response.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(body, Does.Not.Contain("Npgsql").And.Not.Contain("Exception").And.Not.Contain("127.0.0.1").And.Not.Contain("System."));
        }
    }

    private static async Task AssertReadinessAsync(HttpClient client, HttpStatusCode expected)
    {
        using var ready = await Readiness.AwaitAsync(client, expected);
        Assert.That(ready.StatusCode, Is.EqualTo(expected));
        Assert.That(await ready.Content.ReadAsStringAsync(), Is.EqualTo(expected == HttpStatusCode.OK ? """{"status":"ok"}""" : """{"status":"degraded"}"""));
    }

    private static async Task<TimeSpan> TimeUntilCreatedAsync(HttpClient client)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            using var response = await PostUserAsync(client);
            if (response.StatusCode == HttpStatusCode.Created)
            {
                return watch.Elapsed;
            }

            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "while recovering, only 503");
            await Task.Delay(100);
        }

        Assert.Fail("The service did not recover within 30 s of the database coming back.");
        return watch.Elapsed;
    }
}
