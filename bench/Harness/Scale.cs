using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;

/// <summary>
/// bench/run --users N: what the table's size costs. The service on N users and the same
/// service on 10,000, in one invocation, in two databases, taking turns: GET by id, the first
/// list page, a list page half-way down the table (reached through the service's own cursors)
/// and POST. Then the plans PostgreSQL gives the service's statements on the large table.
/// </summary>
internal static class Scale
{
    private const int SmallTable = 10_000;

    public static async Task<int> RunAsync(HarnessOptions options)
    {
        var small = options with { Users = SmallTable };
        var large = options with { ConnectionString = await Database.EnsureAsync(options.ConnectionString, "bench_large") };
        var sides = new[] { (Name: Label(SmallTable), Options: small), (Name: Label(options.Users), Options: large) };
        Console.WriteLine($"bench --users {options.Users}: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, the service on {Label(options.Users)} users vs on {Label(SmallTable)}, " +
            $"wrk -t{options.Threads} -c{options.Connections}, {options.Duration} s x {options.Repeats} after a warm-up of {options.Warmup} s per endpoint, turns");

        if (options.PlansOnly)
        {
            // The large table as the last run left it: only its plans.
            Endpoint[] largeEndpoints;
            await using (var walker = await ServerProcess.StartAsync(Target.Service(large) with { Name = "service-walk" }, large))
            {
                largeEndpoints = await EndpointsAsync(walker.Port, options.Users);
            }

            await Plans.PrintAsync(large, largeEndpoints);
            return 0;
        }

        var servers = new Dictionary<string, ServerProcess>();
        try
        {
            foreach (var (name, sideOptions) in sides)
            {
                servers[name] = await ServerProcess.StartAsync(Target.Service(sideOptions) with { Name = $"service-{name}" }, sideOptions);
                var watch = Stopwatch.StartNew();
                await Database.SeedAsync(sideOptions);
                Console.WriteLine($"seeded {Label(sideOptions.Users)} users by COPY (+ VACUUM ANALYZE) in {watch.Elapsed.TotalSeconds:0.0} s");
            }

            // Warm-up first (it adds users through POST), then the small table is seeded again.
            var endpoints = new Dictionary<string, Endpoint[]>();
            foreach (var (name, sideOptions) in sides)
            {
                endpoints[name] = await EndpointsAsync(servers[name].Port, sideOptions.Users);
                foreach (var endpoint in options.Warmup > 0 ? endpoints[name] : [])
                {
                    await servers[name].MeasureAsync(endpoint, sideOptions, options.Warmup);
                }
            }

            await Database.SeedAsync(small);
            endpoints[sides[0].Name] = await EndpointsAsync(servers[sides[0].Name].Port, SmallTable);

            var results = new Dictionary<(string Side, string Endpoint), Measurement>();
            for (var e = 0; e < endpoints[sides[0].Name].Length; e++)
            {
                var runs = sides.ToDictionary(s => s.Name, _ => new List<Measurement>());
                for (var i = 0; i < options.Repeats; i++)
                {
                    foreach (var (name, sideOptions) in sides)
                    {
                        runs[name].Add(await servers[name].MeasureAsync(endpoints[name][e], sideOptions));
                    }
                }

                foreach (var (name, _) in sides)
                {
                    var median = Measurement.Median(runs[name]);
                    results[(name, endpoints[name][e].Name)] = median;
                    Console.WriteLine(Report.Line(endpoints[name][e].Name, $"{name} users", median));
                }
            }

            Console.WriteLine($"ratio = {Label(options.Users)} / {Label(SmallTable)} users (throughput: higher is better, the target is 0.90 or more):");
            var failed = false;
            foreach (var endpoint in endpoints[sides[0].Name])
            {
                var (a, b) = (results[(sides[0].Name, endpoint.Name)], results[(sides[1].Name, endpoint.Name)]);
                Console.WriteLine($"  {endpoint.Name,-26} throughput {b.RequestsPerSecond / a.RequestsPerSecond:0.00}  cpu/request {b.CpuUsPerRequest / a.CpuUsPerRequest:0.00}  p99 {b.P99Ms / a.P99Ms:0.00}");
                failed |= a.Errors + a.Non2xx + b.Errors + b.Non2xx > 0;
            }

            // The same statement without the service: how much of the difference is the database's.
            var getById = new Endpoint("GET /users/{id}", "get_by_id");
            Console.WriteLine("pgbench, GET by id's statement alone (the database ceiling, 32 clients, prepared), one run per side, after the service runs:");
            foreach (var (name, sideOptions) in sides)
            {
                Console.WriteLine($"  {name,-4} users  {await PgBench.RunAsync(getById, sideOptions)}");
            }

            await Plans.PrintAsync(large, endpoints[sides[1].Name]);
            if (failed)
            {
                Console.WriteLine("FAILED: some requests errored or were not 2xx; the figures above are not valid.");
                return 1;
            }

            return 0;
        }
        finally
        {
            foreach (var server in servers.Values)
            {
                await server.DisposeAsync();
            }
        }
    }

    private static string Label(int users) => users % 1_000_000 == 0 ? $"{users / 1_000_000}M" : users % 1000 == 0 ? $"{users / 1000}k" : users.ToString(CultureInfo.InvariantCulture);

    private static async Task<Endpoint[]> EndpointsAsync(int port, int users) =>
    [
        new("GET /users/{id}", "get_by_id"),
        new("GET /users?limit=50", "list"),
        new("GET /users?limit=50&cursor=", "path", await PageHalfWayDownAsync(port, users)),
        new("POST /users", "post"),
    ];

    /// <summary>The link to a page half-way down the table, by following the service's next links (200 a page).</summary>
    private static async Task<string> PageHalfWayDownAsync(int port, int users)
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var path = "/api/v1/users?limit=200";
        for (var seen = 0; seen < users / 2; seen += 200)
        {
            using var response = await client.GetAsync(path);
            response.EnsureSuccessStatusCode();
            var link = response.Headers.GetValues("Link").Single();
            path = link[(link.IndexOf('<', StringComparison.Ordinal) + 1)..link.IndexOf('>', StringComparison.Ordinal)];
        }

        return path.Replace("limit=200", "limit=50", StringComparison.Ordinal);
    }
}

/// <summary>
/// The plans PostgreSQL gives the service's own statements, as it runs them (auto_explain with
/// ANALYZE in the service's sessions only, read back from the server log).
/// </summary>
internal static class Plans
{
    public static async Task PrintAsync(HarnessOptions options, Endpoint[] endpoints)
    {
        Console.WriteLine();
        if (options.PgLog is null || !File.Exists(options.PgLog))
        {
            Console.WriteLine("plans: no PostgreSQL server log given (--pg-log); skipped");
            return;
        }

        var explained = options with
        {
            ConnectionString = options.ConnectionString + ";Options=-c session_preload_libraries=auto_explain -c auto_explain.log_min_duration=0 -c auto_explain.log_analyze=on",
        };
        var logStart = new FileInfo(options.PgLog).Length;
        await using (var server = await ServerProcess.StartAsync(Target.Service(explained) with { Name = "service-plans" }, explained))
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.Port}") };

            // Three of each: the statement is prepared after its second use; the last plan is the one that stays.
            var first = Random.Shared.Next(1, options.Users - 100);
            for (var i = 0; i < 3; i++)
            {
                var n = first + i;
                var id = $"00000000-0000-4000-8000-{n:x12}";
                (await client.GetAsync($"/api/v1/users/{id}")).EnsureSuccessStatusCode();
                (await client.GetAsync("/api/v1/users?limit=50")).EnsureSuccessStatusCode();
                (await client.GetAsync(endpoints.Single(e => e.Script == "path").Path)).EnsureSuccessStatusCode();
                (await client.PostAsJsonAsync("/api/v1/users", new { email = $"plan-{Guid.NewGuid():N}@example.com", name = "Plan" })).EnsureSuccessStatusCode();
                (await client.PutAsJsonAsync($"/api/v1/users/{id}", new { email = $"seed{n}@example.com", name = "Planned" })).EnsureSuccessStatusCode();
                (await client.DeleteAsync($"/api/v1/users/00000000-0000-4000-8000-{n + 50:x12}")).Dispose();
            }
        }

        Console.WriteLine($"plans on {options.Users} users (auto_explain, ANALYZE; the last run of each statement the service sent):");
        foreach (var plan in ReadPlans(options.PgLog, logStart))
        {
            Console.WriteLine(plan);
        }
    }

    /// <summary>Each auto_explain entry after <paramref name="from"/> on the users table, the last one per query text.</summary>
    private static IEnumerable<string> ReadPlans(string log, long from)
    {
        using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(from, SeekOrigin.Begin);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var entries = new List<List<string>>();
        List<string>? current = null;
        while (reader.ReadLine() is { } line)
        {
            if (line.Contains("LOG:  duration:", StringComparison.Ordinal) && line.Contains("plan:", StringComparison.Ordinal))
            {
                current = [];
                entries.Add(current);
            }
            else if (current is not null && line.StartsWith('\t'))
            {
                current.Add("    " + line.Trim('\t'));
            }
            else
            {
                current = null;
            }
        }

        // An entry is the query text (one or more lines), then the plan (lines with "cost=").
        static string QueryText(List<string> entry) => string.Join('\n', entry.TakeWhile(line => !line.Contains("(cost=", StringComparison.Ordinal)));
        return entries
            .Where(e => e.Count > 1 && e.Any(line => line.Contains(" users", StringComparison.Ordinal)) && !QueryText(e).Contains("__ef_migrations", StringComparison.Ordinal))
            .GroupBy(QueryText)
            .Select(g => string.Join('\n', g.Last()) + "\n");
    }
}
