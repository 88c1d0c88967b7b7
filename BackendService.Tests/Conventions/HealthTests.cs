using System.Diagnostics;
using System.Net;
using BackendService.Tests.Support;
using BackendService.Tests.Users;

namespace BackendService.Tests.Conventions;

public sealed class HealthTests : ApiTest
{
    [TestCase("/health/live")]
    [TestCase("/health/ready")]
    [TestCase("/health")]
    public async Task Returns200Ok_WhenDatabaseAnswers(string path)
    {
        using var response = await Client.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("""{"status":"ok"}"""));
    }

    [TestCase("/health/live")]
    [TestCase("/health/ready")]
    [TestCase("/health")]
    public async Task AnswersGetAndHeadOnly_OtherMethodsAre405ProblemDetailsWithAllow(string path)
    {
        using var head = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));
        Assert.That(head.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        foreach (var method in new[] { HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch, HttpMethod.Options })
        {
            using var response = await Client.SendAsync(new HttpRequestMessage(method, path));

            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed), $"{method} {path}");
            Assert.That(response.Content.Headers.Allow, Is.EquivalentTo(new[] { "GET", "HEAD" }), $"{method} {path}");
            Assert.That((await ExpectProblemAsync(response)).GetProperty("status").GetInt32(), Is.EqualTo(405));
        }
    }

    [Test]
    public async Task AFloodOfReadinessProbes_CostsAFewDatabaseQueries_NotOneEach()
    {
        using var checks = new ReadinessStatements();
        using var gate = new SemaphoreSlim(64);

        // Past the reuse second of any earlier check: the flood's first probe starts a fresh one.
        await Task.Delay(TimeSpan.FromMilliseconds(1_100));
        var elapsed = Stopwatch.StartNew();

        var statuses = await Task.WhenAll(Enumerable.Range(0, 1_500).Select(async _ =>
        {
            await gate.WaitAsync();
            try
            {
                using var response = await Client.GetAsync("/health/ready");
                return response.StatusCode;
            }
            finally
            {
                gate.Release();
            }
        }));
        elapsed.Stop();

        await TestContext.Out.WriteLineAsync($"readiness flood: 1500 probes in {elapsed.ElapsedMilliseconds} ms cost {checks.Count} database checks");
        Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.OK));
        Assert.That(checks.Count, Is.InRange(1, 2 + (int)(elapsed.ElapsedMilliseconds / 1000)), "one check per second of the flood (and at least the one it started)");
    }

    [Test]
    public async Task Liveness_NeverTouchesTheDatabase()
    {
        // The readiness check's statement, were liveness ever to run it.
        using var statements = new ReadinessStatements();
        await Task.Delay(TimeSpan.FromMilliseconds(1_100)); // no readiness check of an earlier test still running

        for (var i = 0; i < 50; i++)
        {
            using var response = await Client.GetAsync("/health/live");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        Assert.That(statements.Count, Is.Zero);
    }

    /// <summary>Counts the readiness check's statements the service sends, as Npgsql traces them (each one its own transaction).</summary>
    private sealed class ReadinessStatements : IDisposable
    {
        private readonly ActivityListener _listener;
        private int _count;

        public ReadinessStatements()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == "Npgsql",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
                ActivityStopped = activity =>
                {
                    if (activity.TagObjects.Any(tag => tag.Value is "SELECT 1"))
                    {
                        Interlocked.Increment(ref _count);
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public int Count => Volatile.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }

    [Test]
    public async Task SwaggerUiAndDocument_AreServed()
    {
        using var ui = await Client.GetAsync("/swagger/index.html");
        using var document = await Client.GetAsync("/swagger/v1/swagger.json");

        Assert.That(ui.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(document.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var json = await document.Content.ReadAsStringAsync();
        Assert.That(json, Does.Contain(UsersApi.Path + "/{id}"));
        Assert.That(json, Does.Contain("\"412\""));
    }
}
