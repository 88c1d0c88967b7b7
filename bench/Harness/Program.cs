using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using BackendService.Infrastructure.Persistence;
using Npgsql;
using NpgsqlTypes;

// bench/Harness: measures the service against the baseline in one invocation and prints one
// line per endpoint and target, then the ratios service / baseline. See bench/run.
if (args is ["--print-connection", var url])
{
    // For bench/profile/profile.sh: a profile runs on the same Npgsql settings as the benchmark.
    Console.WriteLine(HarnessOptions.ServerConnection(url));
    return 0;
}

var options = HarnessOptions.Parse(args);
var endpoints = new[]
{
    new Endpoint("GET /users/{id}", "get_by_id"),
    new Endpoint("POST /users", "post"),
    new Endpoint("GET /users?limit=50", "list"),
    new Endpoint("PUT /users/{id}", "put"),
}.Where(e => options.Endpoints is null || options.Endpoints.Contains(e.Script)).ToArray();

Console.WriteLine($"bench: {(options.Smoke ? "SMOKE (no thresholds)" : options.IdempotencyOnly ? "idempotency-only" : options.Quick ? "quick (the endpoints alone)" : "full")} run, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, " +
    $"wrk -t{options.Threads} -c{options.Connections}, {options.Duration} s x {options.Repeats} after a warm-up of {options.Warmup} s per endpoint, {options.Users} seeded users" +
    (Environment.GetEnvironmentVariable("BENCH_SERVICE_SETTINGS") is { Length: > 0 } settings ? $"; service settings: {settings}" : ""));
Console.WriteLine($"Npgsql settings of both servers: {options.ServerConnectionString}");

if (options.Users > 10_000)
{
    return await Scale.RunAsync(options);
}

if (options.IdempotencyOnly)
{
    return await IdempotencyPrice.RunAloneAsync(options);
}

var results = new Dictionary<(string Target, string Endpoint), Measurement>();
var startup = new Dictionary<string, List<double>>();
var peakRss = new Dictionary<string, long>();
Target[] targets =
[
    Target.Service(options),
    .. options.BeforeDirectory is null ? Array.Empty<Target>() : [Target.Service(options, settings: false) with { Name = "before", Directory = options.BeforeDirectory }],
    Target.Baseline(options),
    .. options.PeerDirectory is null ? Array.Empty<Target>() : [Target.Peer(options)],
];
var servers = new Dictionary<string, ServerProcess>();
var authentication = new Dictionary<string, Measurement>();
SteadyRate.Result? steady = null;
var idempotency = new Dictionary<string, Measurement>();
try
{
    // The service first: it creates the schema the others use.
    foreach (var target in targets)
    {
        Console.WriteLine($"idle CPU before starting {target.Name}: {Machine.IdleCpuPercent():0}%");

        // One start varies by more than the target's margin on a shared machine (1.2-2.1 s over
        // 25 starts of the same build), so start to ready is the median of several starts, each
        // stopped before the next; the last one stays up for the load.
        var starts = new List<double>();
        for (var i = 1; i < options.Starts; i++)
        {
            await using var probe = await ServerProcess.StartAsync(target, options);
            starts.Add(probe.StartToReadyMs);
        }

        var server = await ServerProcess.StartAsync(target, options);
        servers[target.Name] = server;
        starts.Add(server.StartToReadyMs);
        startup[target.Name] = starts;
    }

    // Warm-up: every endpoint of both, before any is measured. On two busy cores .NET's tiered
    // JIT needs tens of seconds of load to finish recompiling hot code; measuring before that
    // measures the JIT (see bench/RESULTS.md).
    await Database.SeedAsync(options);
    if (options.Warmup > 0)
    {
        foreach (var target in targets)
        {
            foreach (var endpoint in endpoints)
            {
                await Wrk.RunAsync(endpoint, servers[target.Name].Port, options.Warmup, options);
            }
        }

        await Database.SeedAsync(options);
    }

    // Service and baseline take turns, run by run, on each endpoint: what else the shared
    // machine does then weighs on both sides of the ratio alike (the idle one uses no CPU).
    foreach (var endpoint in endpoints)
    {
        Console.WriteLine($"idle CPU before {endpoint.Name}: {Machine.IdleCpuPercent():0}%");
        var runs = targets.ToDictionary(t => t.Name, _ => new List<Measurement>());
        for (var i = 0; i < options.Repeats; i++)
        {
            foreach (var target in targets)
            {
                runs[target.Name].Add(await servers[target.Name].MeasureAsync(endpoint, options));
            }
        }

        foreach (var target in targets)
        {
            var median = Measurement.Median(runs[target.Name]);
            results[(target.Name, endpoint.Name)] = median;
            Console.WriteLine(Report.Line(endpoint.Name, target.Name, median));
        }
    }

    foreach (var target in targets)
    {
        peakRss[target.Name] = servers[target.Name].PeakRssKb();
    }

    if (!options.Quick)
    {
        authentication = await Authentication.MeasureAsync(servers, endpoints[0], options);
        steady = await SteadyRate.MeasureAsync(servers, results[("baseline", endpoints[0].Name)].RequestsPerSecond / 2, options);
        idempotency = await IdempotencyPrice.MeasureAsync(servers["service"], options);
    }
}
finally
{
    foreach (var server in servers.Values)
    {
        await server.DisposeAsync();
    }
}

if (!options.Quick)
{
    Console.WriteLine();
    Console.WriteLine("pgbench (the database ceiling: the same statements, 32 clients, prepared):");
    await Database.SeedAsync(options);
    foreach (var endpoint in endpoints)
    {
        Console.WriteLine($"  {endpoint.Name,-22} {await PgBench.RunAsync(endpoint, options)}");
    }
}

Console.WriteLine();
Console.WriteLine($"start to ready (median of {options.Starts} start(s)): {string.Join(", ", targets.Select(t => $"{t.Name} {Startup(startup[t.Name])}"))}");
Console.WriteLine($"peak RSS (VmHWM, all of a server's processes): {string.Join(", ", targets.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Name} {peakRss[t.Name] / 1024.0:0.0} MB")))}");
if (!options.Quick)
{
    Console.WriteLine("authentication (GET /users/{id} with an RS256 bearer token from the harness's issuer; turns with the service as above):");
    foreach (var (name, measurement) in authentication)
    {
        Console.WriteLine(Report.Line("GET /users/{id}", name, measurement));
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  price per request (CPU): token cache on {authentication["auth"].CpuUsPerRequest - authentication["no-auth"].CpuUsPerRequest:+0.0;-0.0} us, " +
        $"cache off {authentication["auth-nocache"].CpuUsPerRequest - authentication["no-auth"].CpuUsPerRequest:+0.0;-0.0} us"));
    steady!.Print();
    IdempotencyPrice.Print(idempotency);
}

var failed = false;
foreach (var other in targets.Skip(1))
{
    Console.WriteLine($"ratio = service / {other.Name} (throughput: higher is better; CPU and p99: lower is better):");
    foreach (var endpoint in endpoints)
    {
        var service = results[("service", endpoint.Name)];
        var them = results[(other.Name, endpoint.Name)];
        Console.WriteLine($"  {endpoint.Name,-22} throughput {service.RequestsPerSecond / them.RequestsPerSecond:0.00}  " +
            $"cpu/request {service.CpuUsPerRequest / them.CpuUsPerRequest:0.00}  p99 {service.P99Ms / them.P99Ms:0.00}");
    }
}

Targets.Print(results, endpoints, targets.Any(t => t.Name == "peer"), authentication, steady, idempotency);
failed |= results.Values.Any(m => m.Errors + m.Non2xx > 0);
failed |= authentication.Values.Concat(steady?.Sides.Values ?? Enumerable.Empty<Measurement>()).Concat(idempotency.Values).Any(m => m.Errors + m.Non2xx > 0);

if (failed)
{
    Console.WriteLine("FAILED: some requests errored or were not 2xx; the figures above are not valid.");
    return 1;
}

return 0;

static string Startup(List<double> starts) =>
    string.Create(CultureInfo.InvariantCulture, $"{Measurement.Mid(starts):0} ms") +
    (starts.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $" ({starts.Min():0}-{starts.Max():0})") : "");

internal sealed record HarnessOptions(
    bool Smoke, int Duration, int Warmup, int Repeats, int Starts, int Threads, int Connections, int Users, string? PgLog, bool PlansOnly, bool IdempotencyOnly,
    string ConnectionString, string ServiceDirectory, string BaselineDirectory, string ScriptsDirectory, string PgBench, string LogDirectory,
    string? PeerDirectory = null, bool Quick = false, IReadOnlySet<string>? Endpoints = null, string? BeforeDirectory = null)
{
    /// <summary>
    /// What both servers get as DATABASE_URL: the service's own Npgsql settings (pool sizes,
    /// timeouts, statement preparation, no session reset on return), built by the service's
    /// code from its option defaults, so that the floor and the service cannot drift apart.
    /// </summary>
    public string ServerConnectionString => ServerConnection(ConnectionString);

    public static string ServerConnection(string url) => DatabaseConnectionString.Build(new DatabaseOptions { Url = url }).ConnectionString;

    public static HarnessOptions Parse(string[] args)
    {
        string Value(string name) => args[Array.IndexOf(args, name) + 1];
        var smoke = args.Contains("--smoke");
        return new HarnessOptions(
            smoke,
            Duration: smoke ? 1 : 10,
            Warmup: smoke ? 0 : 15,
            // --repeats 1: a quicker run, e.g. to measure one optimisation switched off.
            Repeats: args.Contains("--repeats") ? int.Parse(Value("--repeats"), CultureInfo.InvariantCulture) : smoke ? 1 : 3,
            Starts: args.Contains("--starts") ? int.Parse(Value("--starts"), CultureInfo.InvariantCulture) : smoke ? 1 : 5,
            Threads: 2,
            Connections: 32,
            Users: args.Contains("--users") ? int.Parse(Value("--users"), CultureInfo.InvariantCulture) : 10_000,
            PgLog: args.Contains("--pg-log") ? Value("--pg-log") : null,
            PlansOnly: args.Contains("--plans-only"),
            IdempotencyOnly: args.Contains("--idempotency"),
            ConnectionString: Value("--connection"),
            ServiceDirectory: Value("--service"),
            BaselineDirectory: Value("--baseline"),
            ScriptsDirectory: Value("--scripts"),
            PgBench: Value("--pgbench"),
            LogDirectory: Value("--logs"),
            // --peer DIR: also the Node.js peer (bench/peer), in turns with the service and the floor.
            PeerDirectory: args.Contains("--peer") ? Value("--peer") : null,
            // --quick: the endpoints' turns alone (no authentication, steady rate, keyed POST or
            // pgbench): a before/after pair for one change. --endpoints get_by_id,post: only those.
            Quick: args.Contains("--quick"),
            Endpoints: args.Contains("--endpoints") ? Value("--endpoints").Split(',').ToHashSet() : null,
            // --before DIR: another build of the service (bench/run: BENCH_BEFORE_ROOT), in turns
            // with this one: a change's before/after pair in one invocation.
            BeforeDirectory: args.Contains("--before") ? Value("--before") : null);
    }
}

/// <summary>A wrk script; <paramref name="Path"/> and <paramref name="Interval"/> (ms) reach it as BENCH_PATH and BENCH_INTERVAL_MS.</summary>
internal sealed record Endpoint(string Name, string Script, string? Path = null, double? Interval = null);

/// <summary>A server: <paramref name="Command"/> (a program and its arguments) run in <paramref name="Directory"/>.</summary>
internal sealed record Target(string Name, string Directory, string Command, IReadOnlyDictionary<string, string> Environment)
{
    // The service runs with its production configuration: JSON request logs, written to a file.
    // BENCH_SERVICE_SETTINGS="Database__MaxAutoPrepare=0 ..." measures the service with one
    // optimisation switched off, against the same baseline, to show what that one is worth.
    public static Target Service(HarnessOptions o, bool settings = true)
    {
        // Without an issuer, as the floor has none: the price of authentication is its own measurement.
        var environment = new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production", ["Auth__Enabled"] = "false" };
        // Not for the "before" build: the same build with and without a setting is a pair too.
        foreach (var setting in ((settings ? System.Environment.GetEnvironmentVariable("BENCH_SERVICE_SETTINGS") : null) ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = setting.IndexOf('=', StringComparison.Ordinal);
            environment[setting[..equals]] = setting[(equals + 1)..];
        }

        return new("service", o.ServiceDirectory, "dotnet BackendService.Api.dll", environment);
    }

    public static Target Baseline(HarnessOptions o) => new("baseline", o.BaselineDirectory, "dotnet Baseline.dll", new Dictionary<string, string>());

    /// <summary>The Node.js peer: a primary and two workers (node:cluster), measured as one server.</summary>
    public static Target Peer(HarnessOptions o) => new("peer", o.PeerDirectory!, "node server.mjs", new Dictionary<string, string> { ["NODE_ENV"] = "production" });
}

internal sealed record Measurement(double RequestsPerSecond, double P50Ms, double P99Ms, long Errors, long Non2xx, long Requests, double CpuUsPerRequest)
{
    public static Measurement Median(List<Measurement> runs) => new(
        Mid(runs.Select(r => r.RequestsPerSecond)),
        Mid(runs.Select(r => r.P50Ms)),
        Mid(runs.Select(r => r.P99Ms)),
        runs.Sum(r => r.Errors),
        runs.Sum(r => r.Non2xx),
        runs.Sum(r => r.Requests),
        Mid(runs.Select(r => r.CpuUsPerRequest)))
    {
        MaxMs = runs.Max(r => r.MaxMs),
    };

    /// <summary>The slowest request of the run (of all runs, for a median).</summary>
    public double MaxMs { get; init; }

    /// <summary>The median (the upper middle value of an even count).</summary>
    public static double Mid(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}

internal static class Report
{
    public static string Line(string endpoint, string target, Measurement m) => string.Create(CultureInfo.InvariantCulture,
        $"  {endpoint,-22} {target,-9} {m.RequestsPerSecond,9:0} req/s  p50 {m.P50Ms,6:0.00} ms  p99 {m.P99Ms,7:0.00} ms  " +
        $"errors {m.Errors}  non-2xx {m.Non2xx}  cpu {m.CpuUsPerRequest,6:0.0} us/req");
}

internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, int port, double startToReadyMs)
    {
        _process = process;
        Port = port;
        StartToReadyMs = startToReadyMs;
    }

    public int Port { get; }

    public double StartToReadyMs { get; }

    public static async Task<ServerProcess> StartAsync(Target target, HarnessOptions options)
    {
        var port = FreePort();
        var log = Path.Combine(options.LogDirectory, $"{target.Name}.log");
        var start = new ProcessStartInfo("bash", ["-c", $"exec {target.Command} > '{log}' 2>&1"])
        {
            WorkingDirectory = target.Directory,
        };
        start.Environment["PORT"] = port.ToString(CultureInfo.InvariantCulture);
        start.Environment["DATABASE_URL"] = options.ServerConnectionString;
        foreach (var (key, value) in target.Environment)
        {
            start.Environment[key] = value;
        }

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };

        // One refused request before the clock starts: the harness's own first request (JIT of
        // HttpClient and of the exception path) would otherwise compete for the two cores with
        // the server it is timing.
        try
        {
            using var _ = await client.GetAsync(new Uri($"http://127.0.0.1:{port}/health/ready"));
        }
        catch (HttpRequestException)
        {
            // Expected: nothing listens yet.
        }

        var watch = Stopwatch.StartNew();
        var process = Process.Start(start)!;
        while (watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{target.Name} exited with {process.ExitCode}; see {log}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{port}/health/ready"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return new ServerProcess(process, port, watch.Elapsed.TotalMilliseconds);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(10);
        }

        process.Kill(entireProcessTree: true);
        throw new TimeoutException($"{target.Name} did not become ready within 60 s; see {log}");
    }

    /// <summary>One wrk run against this server, with the CPU it used per request (the work it leaves behind included).</summary>
    public async Task<Measurement> MeasureAsync(Endpoint endpoint, HarnessOptions options, int? seconds = null, string? token = null)
    {
        var cpuBefore = CpuMicroseconds();
        var run = await Wrk.RunAsync(endpoint, Port, seconds ?? options.Duration, options, token);
        await WaitUntilQuietAsync();
        var cpu = CpuMicroseconds() - cpuBefore;
        return run with { CpuUsPerRequest = run.Requests == 0 ? 0 : (double)cpu / run.Requests };
    }

    /// <summary>User + system CPU time of the server so far (from /proc/PID/stat): its process and its children (the peer's workers).</summary>
    public long CpuMicroseconds() =>
        Processes().Sum(process => (long.Parse(process.Stat[11], CultureInfo.InvariantCulture) + long.Parse(process.Stat[12], CultureInfo.InvariantCulture))
            * 1_000_000 / Machine.ClockTicksPerSecond);

    // The server's process and its direct children, each with the fields of its /proc/PID/stat
    // after the command name (state is [0], parent [1]), read once.
    private IEnumerable<(int Pid, string[] Stat)> Processes()
    {
        var self = _process.Id.ToString(CultureInfo.InvariantCulture);
        foreach (var path in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(path), out var pid) && Stat(pid) is { } stat && (pid == _process.Id || stat[1] == self))
            {
                yield return (pid, stat);
            }
        }
    }

    // Null once the process is gone.
    private static string[]? Stat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// Waits (up to 10 s) until the server has used under 5 % of a core for a quarter second:
    /// work a run leaves behind (the service's log writer draining its queue, JIT, GC) is then
    /// counted for that run and not done during the other target's turn.
    /// </summary>
    public async Task WaitUntilQuietAsync()
    {
        var deadline = Stopwatch.StartNew();
        var before = CpuMicroseconds();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(250);
            var now = CpuMicroseconds();
            if (now - before < 12_500)
            {
                return;
            }

            before = now;
        }
    }

    /// <summary>Peak resident set size (VmHWM) in KiB, summed over the server's processes.</summary>
    public long PeakRssKb() =>
        Processes().Sum(process =>
        {
            var line = File.ReadLines($"/proc/{process.Pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        });

    public async ValueTask DisposeAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(wait.Token);
        _process.Dispose();
    }

    /// <summary>A loopback port that was free a moment ago.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

internal static class Wrk
{
    private static int _runs;

    public static async Task<Measurement> RunAsync(Endpoint endpoint, int port, int seconds, HarnessOptions options, string? token = null)
    {
        var start = new ProcessStartInfo("wrk",
        [
            $"-t{options.Threads}", $"-c{options.Connections}", $"-d{seconds}s", "--timeout", "5s",
            "-s", Path.Combine(options.ScriptsDirectory, "wrk", $"{endpoint.Script}.lua"), $"http://127.0.0.1:{port}",
            .. token is null ? Array.Empty<string>() : ["-H", $"Authorization: Bearer {token}"],
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["BENCH_WRK_DIR"] = Path.Combine(options.ScriptsDirectory, "wrk");
        start.Environment["BENCH_USERS"] = options.Users.ToString(CultureInfo.InvariantCulture);
        start.Environment["BENCH_PATH"] = endpoint.Path ?? "";
        start.Environment["BENCH_INTERVAL_MS"] = (endpoint.Interval ?? 0).ToString("0.###", CultureInfo.InvariantCulture);
        start.Environment["BENCH_RUN_ID"] = $"{Environment.ProcessId}x{Interlocked.Increment(ref _runs)}";
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"wrk printed no result: {output}{errors}");
        var json = JsonDocument.Parse(line["RESULT ".Length..]).RootElement;
        var requests = json.GetProperty("requests").GetInt64();
        var duration = json.GetProperty("durationUs").GetInt64();
        return new Measurement(
            requests * 1_000_000.0 / duration,
            json.GetProperty("p50Us").GetInt64() / 1000.0,
            json.GetProperty("p99Us").GetInt64() / 1000.0,
            json.GetProperty("errors").GetInt64(),
            json.GetProperty("non2xx").GetInt64(),
            requests,
            0)
        {
            MaxMs = json.GetProperty("maxUs").GetInt64() / 1000.0,
        };
    }
}

internal static class PgBench
{
    public static async Task<string> RunAsync(Endpoint endpoint, HarnessOptions options)
    {
        var connection = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        var start = new ProcessStartInfo(options.PgBench,
        [
            "-n", "-M", "prepared", "-c", options.Connections.ToString(CultureInfo.InvariantCulture), "-j", options.Threads.ToString(CultureInfo.InvariantCulture),
            "-T", options.Duration.ToString(CultureInfo.InvariantCulture), "-f", Path.Combine(options.ScriptsDirectory, "pgbench", $"{endpoint.Script}.sql"),
            "-D", $"users={options.Users}",
            "-h", connection.Host!, "-p", connection.Port.ToString(CultureInfo.InvariantCulture), "-U", connection.Username!, connection.Database!,
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var tps = output.Split('\n').FirstOrDefault(l => l.StartsWith("tps", StringComparison.Ordinal))?.Split(' ')[2];
        var latency = output.Split('\n').FirstOrDefault(l => l.StartsWith("latency average", StringComparison.Ordinal))?.Split(' ')[3];
        return tps is null ? $"pgbench failed: {errors.Trim()}" : $"{double.Parse(tps, CultureInfo.InvariantCulture),9:0} tps  latency avg {latency} ms";
    }
}

internal static class Database
{
    /// <summary>
    /// Resets the users table to exactly the seeded users (binary COPY, a million in seconds), so
    /// each target starts from the same data: user n has the id 00000000-0000-4000-8000-{n in
    /// 12 hex digits}, the address seed{n}@example.com and is n ms older than the newest.
    /// </summary>
    public static async Task SeedAsync(HarnessOptions options)
    {
        await using var connection = new NpgsqlConnection(options.ConnectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, "TRUNCATE users");
        var newest = DateTime.UtcNow;
        await using (var copy = await connection.BeginBinaryImportAsync("COPY users (id, email, email_key, name, created_at, updated_at) FROM STDIN (FORMAT BINARY)"))
        {
            for (var n = 1; n <= options.Users; n++)
            {
                var email = string.Create(CultureInfo.InvariantCulture, $"seed{n}@example.com");
                var at = newest.AddMilliseconds(-n);
                copy.StartRow();
                copy.Write(Guid.Parse(string.Create(CultureInfo.InvariantCulture, $"00000000-0000-4000-8000-{n:x12}")), NpgsqlDbType.Uuid);
                copy.Write(email, NpgsqlDbType.Varchar);
                copy.Write(email, NpgsqlDbType.Text);
                copy.Write(string.Create(CultureInfo.InvariantCulture, $"Seed User {n}"), NpgsqlDbType.Varchar);
                copy.Write(at, NpgsqlDbType.TimestampTz);
                copy.Write(at, NpgsqlDbType.TimestampTz);
            }

            await copy.CompleteAsync();
        }

        await ExecuteAsync(connection, "VACUUM ANALYZE users");
    }

    /// <summary>Creates <paramref name="database"/> on the server unless it exists; returns its connection string.</summary>
    public static async Task<string> EnsureAsync(string connectionString, string database)
    {
        var admin = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres" };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync();
        await using var exists = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = database } } };
        if ((long)(await exists.ExecuteScalarAsync())! == 0)
        {
            await ExecuteAsync(connection, $"CREATE DATABASE \"{database}\"");
        }

        return new NpgsqlConnectionStringBuilder(connectionString) { Database = database }.ConnectionString;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        await command.ExecuteNonQueryAsync();
    }
}

internal static class Machine
{
    public const long ClockTicksPerSecond = 100;

    /// <summary>Idle share of all CPUs over one second, from /proc/stat: a noisy box shows here.</summary>
    public static double IdleCpuPercent()
    {
        static (long Idle, long Total) Sample()
        {
            var values = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
            return (values[3] + values[4], values.Sum());
        }

        var first = Sample();
        Thread.Sleep(1000);
        var second = Sample();
        return 100.0 * (second.Idle - first.Idle) / Math.Max(1, second.Total - first.Total);
    }
}
