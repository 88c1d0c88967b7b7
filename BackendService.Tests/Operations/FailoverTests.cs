using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BackendService.Tests.Support;
using BackendService.Tests.Users;

namespace BackendService.Tests.Operations;

/// <summary>
/// A primary and a synchronous streaming standby (pg_basebackup -R) on this machine; the
/// published service with both hosts in DATABASE_URL under write load; the primary is stopped
/// hard and the standby promoted. The service recovers without a restart, answers 503 with
/// Retry-After meanwhile (never a 500), and every 201 it gave is on the new primary.
/// </summary>
[Category("Failover")]
public sealed class FailoverTests
{
    private const string Database = "backendservice_failover";

    [Test]
    public async Task PrimaryDies_StandbyPromoted_ServiceRecoversWithoutRestart_AndLosesNoAcknowledgedWrite()
    {
        await using var replication = await StreamingReplication.StartAsync("failover", Database, synchronous: true);

        await using var service = await PublishedService.StartReadyAsync(new Dictionary<string, string> { ["DATABASE_URL"] = replication.ServiceConnectionString(Database) });
        using var client = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

        var load = new WriteLoad(client);
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(workers: 8, stop.Token);
        await Task.Delay(TimeSpan.FromSeconds(3));

        await replication.StopPrimaryHardAsync();
        var deathAt = load.Elapsed; // pg_ctl -w has returned: the primary is gone
        await Task.Delay(TimeSpan.FromSeconds(1));
        await replication.PromoteStandbyAsync();
        var promotedAt = load.Elapsed;
        var recovered = await WaitForAsync(() => Task.FromResult(load.FirstCreatedAfter(deathAt) is not null), TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(2));
        await stop.CancelAsync();
        await running;

        using var ready = await client.GetAsync("/health/ready");
        var newPrimary = StreamingReplication.Direct(replication.StandbyPort, Database);
        var created = load.Created.ToArray();
        var stored = await TestDatabase.ScalarAsync(newPrimary, "SELECT count(*) FROM users WHERE id = ANY($1)", created);
        var statuses = load.Statuses.GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
        var firstAfter = load.FirstCreatedAfter(deathAt);
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"failover: primary stopped hard at {deathAt.TotalSeconds:0.0} s, standby promoted at {promotedAt.TotalSeconds:0.0} s; " +
            $"the first create sent after the primary's death that got a 201 was sent {(firstAfter - deathAt)?.TotalMilliseconds:0} ms after it; answers {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{(int)s.Key} x {s.Value}"))}; " +
            $"{created.Length} x 201 acknowledged, {stored} of them on the new primary");
        await TestContext.Out.WriteLineAsync(summary);
        Console.WriteLine(summary);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(recovered, Is.True, "a create succeeds again after the failover, without a restart");
            Assert.That(statuses.Keys, Is.SubsetOf(new[] { HttpStatusCode.Created, HttpStatusCode.ServiceUnavailable }), "201 or 503, never a 500");
            Assert.That(load.UnavailableWithoutRetryAfter, Is.Zero, "every 503 says Retry-After");
            Assert.That(load.Failures, Is.Empty);
            Assert.That(stored, Is.EqualTo(created.Length), "every acknowledged create is on the new primary");
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK), "readiness follows");
        }
    }

    private static async Task<bool> WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }

    /// <summary>Workers creating users one after another; what each request was answered, and when.</summary>
    private sealed class WriteLoad(HttpClient client)
    {
        private readonly Stopwatch _watch = new();
        // When each create that got a 201 was sent.
        private readonly ConcurrentQueue<TimeSpan> _createdAt = new();
        private int _unavailableWithoutRetryAfter;

        public TimeSpan Elapsed => _watch.Elapsed;

        public ConcurrentBag<Guid> Created { get; } = [];

        public ConcurrentBag<HttpStatusCode> Statuses { get; } = [];

        public ConcurrentQueue<string> Failures { get; } = new();

        public int UnavailableWithoutRetryAfter => _unavailableWithoutRetryAfter;

        public TimeSpan? FirstCreatedAfter(TimeSpan moment) => _createdAt.Where(t => t > moment).Order().Cast<TimeSpan?>().FirstOrDefault();

        public async Task RunAsync(int workers, CancellationToken stop)
        {
            _watch.Start();
            await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var sentAt = _watch.Elapsed;
                    try
                    {
                        using var response = await new UsersApi(client).CreateAsync(new { email = $"failover-{worker}-{i}@example.com", name = "Failover" });
                        Statuses.Add(response.StatusCode);
                        if (response.StatusCode == HttpStatusCode.Created)
                        {
                            Created.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
                            _createdAt.Enqueue(sentAt);
                        }
                        else if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                        {
                            if (response.Headers.RetryAfter is null)
                            {
                                Interlocked.Increment(ref _unavailableWithoutRetryAfter);
                            }

                            await Task.Delay(50, CancellationToken.None);
                        }
                    }
                    catch (HttpRequestException ex)
                    {
                        Failures.Enqueue(ex.Message);
                    }
                }
            })));
        }
    }
}
