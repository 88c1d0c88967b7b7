using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BackendService.Tests.Support;
using Npgsql;

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

    private static readonly string PrimaryDirectory = Path.Combine(TestDatabase.RepositoryRoot(), ".local", "pg-failover-primary");
    private static readonly string StandbyDirectory = Path.Combine(TestDatabase.RepositoryRoot(), ".local", "pg-failover-standby");

    [Test]
    public async Task PrimaryDies_StandbyPromoted_ServiceRecoversWithoutRestart_AndLosesNoAcknowledgedWrite()
    {
        await RemoveClustersAsync();
        try
        {
            var primaryPort = ExternalProcess.FreeLoopbackPort();
            await RunAsync("bash", [Path.Combine(TestDatabase.RepositoryRoot(), "scripts", "db.sh"), "start"], new Dictionary<string, string>
            {
                ["LOCAL_PG_DIR"] = PrimaryDirectory,
                ["LOCAL_PG_DB"] = Database,
                ["LOCAL_PG_PORT"] = primaryPort.ToString(CultureInfo.InvariantCulture),
            });
            var primary = Admin(primaryPort);

            var standbyPort = ExternalProcess.FreeLoopbackPort();
            Directory.CreateDirectory(StandbyDirectory);
            await AsPostgresAsync("chown", ["postgres:postgres", StandbyDirectory], asRoot: true);
            await AsPostgresAsync("chmod", ["700", StandbyDirectory]);
            await AsPostgresAsync(PgBin("pg_basebackup"), ["-D", StandbyDirectory, "-R", "-X", "stream", "-h", "127.0.0.1", "-p", Port(primaryPort), "-U", "postgres"]);
            await AsPostgresAsync(PgBin("pg_ctl"), ["-D", StandbyDirectory, "-l", Path.Combine(StandbyDirectory, "server.log"), "-w", "-t", "60", "-o", $"-h 127.0.0.1 -p {standbyPort} -k {StandbyDirectory} -c max_connections=200", "start"]);

            // Synchronous: a commit returns only once the standby has it, so a 201 survives the
            // failover. Set after the base backup, so the promoted standby does not wait for one.
            await ExecuteAsync(primary, "ALTER SYSTEM SET synchronous_standby_names = '*'");
            await ExecuteAsync(primary, "SELECT pg_reload_conf()");
            Assert.That(await WaitForAsync(async () => await ScalarAsync(primary, "SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync'") == 1, TimeSpan.FromSeconds(30)), Is.True, "the standby streams synchronously");

            // Both hosts; Npgsql picks the one that accepts writes, and looks again every second.
            var connectionString = $"Host=127.0.0.1:{primaryPort},127.0.0.1:{standbyPort};Username=postgres;Database={Database};SSL Mode=Disable;Target Session Attributes=read-write;Host Recheck Seconds=1";
            await using var service = await PublishedService.StartReadyAsync(new Dictionary<string, string> { ["DATABASE_URL"] = connectionString });
            using var client = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

            var load = new WriteLoad(client);
            using var stop = new CancellationTokenSource();
            var running = load.RunAsync(workers: 8, stop.Token);
            await Task.Delay(TimeSpan.FromSeconds(3));

            await AsPostgresAsync(PgBin("pg_ctl"), ["-D", PrimaryDirectory, "-m", "immediate", "-w", "stop"]);
            var deathAt = load.Elapsed; // pg_ctl -w has returned: the primary is gone
            await Task.Delay(TimeSpan.FromSeconds(1));
            await AsPostgresAsync(PgBin("pg_ctl"), ["-D", StandbyDirectory, "-w", "promote"]);
            var promotedAt = load.Elapsed;
            var recovered = await WaitForAsync(() => Task.FromResult(load.FirstCreatedAfter(deathAt) is not null), TimeSpan.FromSeconds(60));
            await Task.Delay(TimeSpan.FromSeconds(2));
            await stop.CancelAsync();
            await running;

            using var ready = await client.GetAsync("/health/ready");
            var newPrimary = $"Host=127.0.0.1;Port={standbyPort};Username=postgres;Database={Database};SSL Mode=Disable;Pooling=false";
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
        finally
        {
            await RemoveClustersAsync();
        }
    }

    private static string Admin(int port) => $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;SSL Mode=Disable;Pooling=false";

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static string PgBin(string tool) =>
        Path.Combine(Directory.GetDirectories("/usr/lib/postgresql").OrderBy(d => int.Parse(Path.GetFileName(d), CultureInfo.InvariantCulture)).Last(), "bin", tool);

    private static async Task RemoveClustersAsync()
    {
        foreach (var directory in new[] { PrimaryDirectory, StandbyDirectory })
        {
            if (File.Exists(Path.Combine(directory, "postmaster.pid")))
            {
                await ExternalProcess.RunAsync("runuser", ["-u", "postgres", "--", PgBin("pg_ctl"), "-D", directory, "-m", "immediate", "-w", "stop"]);
            }

            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }

            File.Delete(directory + ".port");
        }
    }

    private static async Task AsPostgresAsync(string file, string[] arguments, bool asRoot = false)
    {
        var root = Environment.UserName == "root";
        var result = root && !asRoot
            ? await ExternalProcess.RunAsync("runuser", ["-u", "postgres", "--", file, .. arguments])
            : await ExternalProcess.RunAsync(file, arguments);
        Assert.That(result.ExitCode, Is.Zero, $"{file} {string.Join(' ', arguments)}: {result.AllOutput}");
    }

    private static async Task RunAsync(string file, string[] arguments, Dictionary<string, string> environment)
    {
        var result = await ExternalProcess.RunAsync(file, arguments, environment: environment);
        Assert.That(result.ExitCode, Is.Zero, result.AllOutput);
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static Task<long> ScalarAsync(string connectionString, string sql) => TestDatabase.ScalarAsync(connectionString, sql);

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
