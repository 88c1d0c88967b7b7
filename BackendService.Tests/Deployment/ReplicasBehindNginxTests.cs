using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BackendService.Tests.Support;
using BackendService.Tests.Users;

namespace BackendService.Tests.Deployment;

/// <summary>
/// Three published replicas on one PostgreSQL behind a real nginx, under create-and-read load;
/// one replica is stopped with SIGTERM mid-load and started again. Also run on its own by
/// scripts/replicas.sh, which prints the figures.
/// </summary>
[Category("Replicas")]
public sealed class ReplicasBehindNginxTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // After the restarted replica is ready, load goes on this long so nginx sends to it again
    // (it retries a failed server after fail_timeout, 2 s).
    private static readonly TimeSpan LoadAfterRestart = TimeSpan.FromSeconds(6);

    [Test]
    public async Task OneReplicaStoppedAndRestartedMidLoad_NoClientRequestFails_AndEveryCreatedUserIsStored()
    {
        var connectionString = await TestDatabase.CreateFreshAsync("backendservice_tests_replicas");
        var environment = new Dictionary<string, string>
        {
            ["DATABASE_URL"] = connectionString,
            ["Http__DrainDelaySeconds"] = "2",
            ["Database__MaxPoolSize"] = "10",
            ["Database__MinPoolSize"] = "1",
        };

        // Three at once, as a rollout starts them: the advisory lock lets one migrate.
        var replicas = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => PublishedService.StartAsync(environment)));
        var ports = replicas.Select(r => r.Port).ToArray();
        PublishedService? restarted = null;
        try
        {
            foreach (var replica in replicas)
            {
                Assert.That(await replica.WaitUntilReadyAsync(TimeSpan.FromSeconds(60)), Is.True, string.Join('\n', replica.Lines));
            }

            await using var nginx = await Nginx.StartAsync(ports);
            var load = new Load(nginx.BaseAddress, workers: 16);
            using var stopLoad = new CancellationTokenSource();
            var running = load.RunAsync(stopLoad.Token);

            // Mid-load: SIGTERM the second replica, wait for it to exit, start it again.
            await Task.Delay(TimeSpan.FromSeconds(4));
            var stopped = replicas[1];
            var stopWatch = Stopwatch.StartNew();
            await stopped.SendSignalAsync("TERM");
            var exitCode = await stopped.WaitForExitAsync(TimeSpan.FromSeconds(30));
            var stopMs = stopWatch.ElapsedMilliseconds;
            restarted = await PublishedService.StartAsync(environment, port: ports[1]);
            var backReady = await restarted.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
            var readyAgainAt = load.Elapsed;
            await Task.Delay(LoadAfterRestart);
            await stopLoad.CancelAsync();

            var result = await running;
            var persisted = await TestDatabase.ScalarAsync(connectionString, "SELECT count(*) FROM users WHERE id = ANY($1)", result.CreatedIds.ToArray());
            var loadUsers = await TestDatabase.ScalarAsync(connectionString, "SELECT count(*) FROM users WHERE email LIKE 'replica-load-%'");
            var servedAfterRestart = restarted.Lines.Count(line => line.Contains("\"RequestMethod\":\"POST\"", StringComparison.Ordinal));

            var summary = string.Create(CultureInfo.InvariantCulture,
                $"replicas behind nginx: {result.Requests} requests in {result.Seconds:0.0} s ({result.Requests / result.Seconds:0} req/s), " +
                $"{result.Failures.Count} failed; {result.CreatedIds.Count} answered 201 ({load.Replayed} replayed from their Idempotency-Key), {persisted} of them stored, {loadUsers} users in all; " +
                $"replica 2 got SIGTERM at 4 s, exited with {exitCode?.ToString(CultureInfo.InvariantCulture) ?? "nothing (still running)"} after {stopMs} ms, " +
                $"restarted and ready at {readyAgainAt.TotalSeconds:0.0} s: {backReady}, then served {servedAfterRestart} POSTs in the last {result.Seconds - readyAgainAt.TotalSeconds:0.0} s");
            await TestContext.Out.WriteLineAsync(summary);
            Console.WriteLine(summary);

            // Everything each process printed, to read when an assertion below fails.
            var logs = Path.Combine(TestDatabase.RepositoryRoot(), "TestResults", "replicas");
            Directory.CreateDirectory(logs);
            await File.WriteAllTextAsync(Path.Combine(logs, "nginx.log"), nginx.Output);
            await File.WriteAllLinesAsync(Path.Combine(logs, "replica-2-restarted.log"), restarted.Lines);
            for (var i = 0; i < replicas.Length; i++)
            {
                await File.WriteAllLinesAsync(Path.Combine(logs, $"replica-{i + 1}.log"), replicas[i].Lines);
            }

            using (Assert.EnterMultipleScope())
            {
                Assert.That(result.Failures, Is.Empty, "no client request fails (logs in TestResults/replicas/); nginx said: " + string.Join('\n', nginx.Output.Split('\n').TakeLast(10)));
                Assert.That(result.CreatedIds, Has.Count.GreaterThan(200), "the load really ran");
                Assert.That(persisted, Is.EqualTo(result.CreatedIds.Count), "every 201 is stored");
                Assert.That(loadUsers, Is.EqualTo(result.CreatedIds.Distinct().Count()), "one user per key: no create happened twice");
                Assert.That(result.CreatedIds.Distinct().Count(), Is.EqualTo(result.CreatedIds.Count), "one 201 per key");
                Assert.That(exitCode, Is.Zero, "the stopped replica exits cleanly: " + string.Join('\n', stopped.Lines.TakeLast(5)));
                Assert.That(backReady, Is.True, "the replica starts again");
                Assert.That(servedAfterRestart, Is.GreaterThan(0), "nginx sends to the restarted replica again");
            }
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }

            if (restarted is not null)
            {
                await restarted.DisposeAsync();
            }
        }
    }

    /// <summary>Workers that each create a user, then read it back, until stopped (requests in flight finish).</summary>
    private sealed class Load(Uri baseAddress, int workers)
    {
        public ConcurrentBag<Guid> CreatedIds { get; } = [];

        public ConcurrentQueue<string> Failures { get; } = new();

        public TimeSpan Elapsed => _watch.Elapsed;

        private readonly Stopwatch _watch = new();

        private int _replayed;

        /// <summary>201s that were the stored answer to a retried create.</summary>
        public int Replayed => _replayed;

        public async Task<(long Requests, double Seconds, ConcurrentBag<Guid> CreatedIds, ConcurrentQueue<string> Failures)> RunAsync(CancellationToken stop)
        {
            using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
            long requests = 0;
            var watch = _watch;
            watch.Start();
            await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var email = $"replica-load-{worker}-{i}@example.com";
                    try
                    {
                        // With a key, a create nginx retries on another replica is answered from the key, never 409.
                        using var created = await new UsersApi(client).CreateAsync(new { email, name = "Load" }, idempotencyKey: $"replica-load-{worker}-{i}");
                        if (created.Headers.Contains("Idempotent-Replayed"))
                        {
                            Interlocked.Increment(ref _replayed);
                        }

                        Interlocked.Increment(ref requests);
                        if (created.StatusCode != HttpStatusCode.Created)
                        {
                            Failures.Enqueue($"POST {email}: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
                            continue;
                        }

                        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("id").GetGuid();
                        CreatedIds.Add(id);
                        using var read = await new UsersApi(client).GetAsync(id);
                        Interlocked.Increment(ref requests);
                        if (read.StatusCode != HttpStatusCode.OK)
                        {
                            Failures.Enqueue($"GET {id}: {(int)read.StatusCode}");
                        }
                    }
                    catch (HttpRequestException ex)
                    {
                        Failures.Enqueue($"{email}: {ex.Message}");
                    }
                }
            })));
            return (requests, watch.Elapsed.TotalSeconds, CreatedIds, Failures);
        }
    }
}
