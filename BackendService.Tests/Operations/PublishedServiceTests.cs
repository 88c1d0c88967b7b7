using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using BackendService.Tests.Support;
using BackendService.Tests.Users;
using Npgsql;

namespace BackendService.Tests.Operations;

/// <summary>
/// The published service as a process of its own: startup with bad settings, its log lines,
/// and a SIGTERM in the middle of write load.
/// </summary>
public sealed class PublishedServiceTests
{
    private string _connectionString = string.Empty;

    [OneTimeSetUp]
    public async Task CreateDatabaseAsync() =>
        _connectionString = await TestDatabase.CreateFreshAsync("backendservice_tests_process");

    [TestCase("PORT", "abc", "PORT")]
    [TestCase("DATABASE_URL", "postgres://app:hunter2@:notaport/db", "DATABASE_URL")]
    [TestCase("Database__MaxPoolSize", "0", "Database:MaxPoolSize")]
    [TestCase("Http__RequestTimeoutSeconds", "soon", "Http:RequestTimeoutSeconds")]
    [TestCase("Auth__Enabled", "true", "Auth:Authority")]
    [TestCase("Http__MaxRequestTargetBytes", "10", "Http:MaxRequestTargetBytes")]
    [TestCase("Management__Port", "70000", "Management:Port")]
    [TestCase("Database__MinPoolSize", "50", "Database:MinPoolSize")]
    [TestCase("ASPNETCORE_FORWARDEDHEADERS_ENABLED", "true", "ForwardedHeaders__KnownProxies")]
    [TestCase("ForwardedHeaders__KnownNetworks", "10.0.0.0/33", "ForwardedHeaders:KnownNetworks")]
    public async Task BadSetting_StopsStartupWithOneLineNamingIt(string variable, string value, string named)
    {
        var environment = new Dictionary<string, string> { ["DATABASE_URL"] = _connectionString, [variable] = value };
        await using var service = await PublishedService.StartAsync(environment);

        var exitCode = await service.WaitForExitAsync(TimeSpan.FromSeconds(30));

        var output = service.Lines;
        var fatal = output.Where(line => line.Contains("\"@l\":\"Fatal\"", StringComparison.Ordinal)).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Not.Null.And.Not.Zero, "the process exits with a failure code");
            Assert.That(fatal, Has.Count.EqualTo(1), string.Join('\n', output));
            Assert.That(fatal.FirstOrDefault(), Does.Contain(named));
            Assert.That(output, Has.None.Contains("   at "), "no stack trace");
            Assert.That(output, Has.None.Contains("hunter2"), "the password is never logged");
        }
    }

    [Test]
    public async Task Logs_OneJsonLinePerRequest_WithTraceId_AndNoEmailPasswordOrProbeNoise()
    {
        const string password = "pw-hunter2-secret";
        const string email = "private.person@example.com";
        const string traceId = "0af7651916cd43dd8448eb211c80319c";
        var environment = new Dictionary<string, string> { ["DATABASE_URL"] = $"{_connectionString};Password={password}" };
        await using var service = await PublishedService.StartReadyAsync(environment);

        using var client = new HttpClient { BaseAddress = service.BaseAddress };
        using (var created = await new UsersApi(client).CreateAsync(new { email, name = "Private Person" }))
        {
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        }

        var missing = $"{UsersApi.Path}/{Guid.NewGuid()}";
        using (var request = new HttpRequestMessage(HttpMethod.Get, missing))
        {
            request.Headers.Add("traceparent", $"00-{traceId}-b7ad6b7169203331-01");
            using var response = await client.SendAsync(request);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        }

        using (var ready = await client.GetAsync("/health/ready"))
        {
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        await service.SendSignalAsync("TERM");
        Assert.That(await service.WaitForExitAsync(TimeSpan.FromSeconds(30)), Is.Zero);

        var lines = service.Lines;
        var events = lines.Select(Parse).ToList();
        var requestLine = events.SingleOrDefault(e => e is { } json && json.TryGetProperty("RequestPath", out var path) && path.GetString() == missing && json.TryGetProperty("StatusCode", out _));
        Assert.That(requestLine, Is.Not.Null, string.Join('\n', lines));
        var line = requestLine!.Value;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(events, Has.All.Not.Null, "every line is one JSON event");
            Assert.That(line.GetProperty("RequestMethod").GetString(), Is.EqualTo("GET"));
            Assert.That(line.GetProperty("StatusCode").GetInt32(), Is.EqualTo(404));
            Assert.That(line.GetProperty("Elapsed").GetDouble(), Is.GreaterThan(0));
            Assert.That(line.GetProperty("@tr").GetString(), Is.EqualTo(traceId));
            Assert.That(line.GetProperty("Auth").GetString(), Is.EqualTo("disabled"), "an open API says so on every request line");
            Assert.That(lines, Has.One.Contains("Authentication is OFF").And.Contains("\"@l\":\"Warning\""), "and once, as a Warning, at start");
            Assert.That(lines, Has.None.Contains(email), "no e-mail address at Information level");
            Assert.That(lines, Has.None.Contains(password), "the database password is never logged");
            Assert.That(lines, Has.None.Contains("\"RequestPath\":\"/health/ready\""), "successful probes log below Information");
            Assert.That(lines[^1], Does.Contain("shut down gracefully"));
        }
    }

    [Test]
    public async Task Development_LogsReadableText_AtTheLevelTheEnvironmentSets()
    {
        var environment = new Dictionary<string, string>
        {
            ["DATABASE_URL"] = _connectionString,
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Serilog__MinimumLevel__Default"] = "Debug",
        };
        await using var service = await PublishedService.StartReadyAsync(environment);
        const int sigint = 2;
        Assert.That(service.Ignores(sigint), Is.False, "the service sees Ctrl+C even when the test runner's shell ignores SIGINT");

        await service.SendSignalAsync("INT");
        var exitCode = await service.WaitForExitAsync(TimeSpan.FromSeconds(30));

        var lines = service.Lines;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero, "Ctrl+C stops gracefully too");
            Assert.That(lines.Where(l => l.StartsWith('{')), Is.Empty, "text, not JSON, in Development");
            Assert.That(lines, Has.Some.Match(@"^\[\d\d:\d\d:\d\d DBG\] HTTP GET /health/ready responded 200"), "probes log at Debug, shown because the environment asked for Debug");
            Assert.That(lines[^1], Does.Contain("shut down gracefully"));
        }
    }

    [Test]
    public async Task Sigterm_EndsEveryDatabaseSessionCleanly_NoneIsAbandoned()
    {
        // A database of its own, so that its session counters count this process alone.
        var connectionString = await TestDatabase.CreateFreshAsync("backendservice_tests_pool_close");
        var environment = new Dictionary<string, string> { ["DATABASE_URL"] = connectionString };
        await using var service = await PublishedService.StartReadyAsync(environment);
        using var client = new HttpClient { BaseAddress = service.BaseAddress };
        var users = new UsersApi(client);

        // Concurrent writes, so that the pool holds several open connections at the stop.
        var created = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => users.CreateAsync(new { email = $"pool-{i}@example.com", name = "Pool" })));
        Assert.That(created.Select(r => r.StatusCode), Has.All.EqualTo(HttpStatusCode.Created));
        await service.SendSignalAsync("TERM");
        Assert.That(await service.WaitForExitAsync(TimeSpan.FromSeconds(30)), Is.Zero);

        // A session whose client vanished without saying goodbye (the process exited with the pool
        // still open) counts as abandoned; one the pool closed does not.
        var admin = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false }.ConnectionString;
        const string database = "backendservice_tests_pool_close";
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await TestDatabase.ScalarAsync(admin, "SELECT numbackends FROM pg_stat_database WHERE datname = $1", database) > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        await Task.Delay(500); // a backend reports its session as it exits
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await TestDatabase.ScalarAsync(admin, "SELECT sessions FROM pg_stat_database WHERE datname = $1", database), Is.GreaterThan(1), "the service held sessions");
            Assert.That(await TestDatabase.ScalarAsync(admin, "SELECT sessions_abandoned FROM pg_stat_database WHERE datname = $1", database), Is.Zero, "every session ended with the client closing it");
        }
    }

    [Test]
    public async Task Sigterm_LetsAnInFlightRequestFinish()
    {
        var environment = new Dictionary<string, string>
        {
            ["DATABASE_URL"] = _connectionString,
            ["Http__ShutdownTimeoutSeconds"] = "20",
        };
        await using var service = await PublishedService.StartReadyAsync(environment);
        using var client = new HttpClient { BaseAddress = service.BaseAddress };
        Guid id;
        using (var created = await new UsersApi(client).CreateAsync(new { email = $"inflight-{Guid.NewGuid():N}@example.com", name = "In Flight" }))
        {
            id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        }

        // A request that cannot finish until we release a lock, still running at SIGTERM.
        await using var blocker = await TestDatabase.LockUsersTableAsync(_connectionString);

        var inFlight = new UsersApi(client).GetAsync(id);
        await Task.Delay(300);
        await service.SendSignalAsync("TERM");
        await Task.Delay(1500);
        Assert.That(await service.WaitForExitAsync(TimeSpan.Zero), Is.Null, "the process waits for the request");

        await blocker.CloseAsync();
        using var response = await inFlight;
        var exitCode = await service.WaitForExitAsync(TimeSpan.FromSeconds(20));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid(), Is.EqualTo(id));
        Assert.That(exitCode, Is.Zero);
    }

    [Test]
    public async Task Sigterm_UnderWriteLoad_DrainsFinishesInFlightAndLosesNoAcknowledgedWrite()
    {
        var environment = new Dictionary<string, string>
        {
            ["DATABASE_URL"] = _connectionString,
            ["Http__DrainDelaySeconds"] = "1",
            ["Http__ShutdownTimeoutSeconds"] = "10",
        };
        await using var service = await PublishedService.StartReadyAsync(environment);

        var acknowledged = new ConcurrentBag<Guid>();
        var acknowledgedAfterSigterm = 0;
        var cutMidResponse = new ConcurrentBag<string>();
        var otherFailures = new ConcurrentBag<string>();
        var unanswered = new ConcurrentBag<string>();
        var sigtermSent = new TaskCompletionSource<DateTime>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var client = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(20) };

        async Task WorkerAsync(int worker)
        {
            for (var i = 0; ; i++)
            {
                HttpResponseMessage response;
                var email = $"load-{worker}-{i}@example.com";
                try
                {
                    response = await new UsersApi(client).CreateAsync(new { email, name = "Load" }, CancellationToken.None);
                }
                catch (HttpRequestException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
                {
                    return; // The listener is closed: the service is gone, as it should be after a stop.
                }
                catch (HttpRequestException ex) when (sigtermSent.Task.IsCompleted)
                {
                    // The connection closed with no response while the server stopped. Fine only
                    // if the server never took the request in: checked against the database below.
                    unanswered.Add(email);
                    TestContext.Out.WriteLine($"no response after SIGTERM ({ex.HttpRequestError}) for {email}");
                    return;
                }
                catch (HttpRequestException ex)
                {
                    otherFailures.Add($"{ex.HttpRequestError}: {ex.InnerException?.GetType().Name} {ex.InnerException?.Message}");
                    return;
                }

                using (response)
                {
                    try
                    {
                        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
                        if (response.StatusCode == HttpStatusCode.Created)
                        {
                            acknowledged.Add(body.GetProperty("id").GetGuid());
                            if (sigtermSent.Task.IsCompleted)
                            {
                                Interlocked.Increment(ref acknowledgedAfterSigterm);
                            }
                        }
                        else
                        {
                            otherFailures.Add($"status {(int)response.StatusCode}");
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or IOException or JsonException)
                    {
                        cutMidResponse.Add(ex.Message);
                    }
                }
            }
        }

        var workers = Enumerable.Range(0, 16).Select(w => Task.Run(() => WorkerAsync(w))).ToList();
        await Task.Delay(1500);

        var stopwatch = Stopwatch.StartNew();
        await service.SendSignalAsync("TERM");
        sigtermSent.SetResult(DateTime.UtcNow);

        // During the drain delay the service still serves, but tells the load balancer it is leaving.
        // (The signal reaches the process asynchronously, so poll briefly.)
        using var probe = new HttpClient { BaseAddress = service.BaseAddress };
        var readiness = HttpStatusCode.OK;
        while (readiness == HttpStatusCode.OK && stopwatch.Elapsed < TimeSpan.FromMilliseconds(900))
        {
            using var ready = await probe.GetAsync("/health/ready");
            readiness = ready.StatusCode;
        }

        var toNotReady = stopwatch.Elapsed;
        Assert.That(readiness, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "readiness turns 503 within the drain delay");

        var exitCode = await service.WaitForExitAsync(TimeSpan.FromSeconds(30));
        var sigtermToExit = stopwatch.Elapsed;
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30));

        // Each array is one parameter (cast, or a string[] would spread into the params list).
        var persisted = await TestDatabase.ScalarAsync(_connectionString, "SELECT count(*) FROM users WHERE id = ANY($1)", (object)acknowledged.ToArray());
        var unansweredButWritten = await TestDatabase.ScalarAsync(_connectionString, "SELECT count(*) FROM users WHERE email = ANY($1)", (object)unanswered.ToArray());

        // Log lines leave through a batching background task: the ones still queued at SIGTERM
        // must be written before the process exits.
        var loggedCreates = service.Lines.Select(Parse).Count(e => e is { } json
            && json.TryGetProperty("RequestMethod", out var method) && method.GetString() == "POST"
            && json.TryGetProperty("StatusCode", out var status) && status.GetInt32() == (int)HttpStatusCode.Created);
        TestContext.Out.WriteLine($"SIGTERM under load: readiness 503 after {toNotReady.TotalMilliseconds:0} ms, exit {exitCode} after {sigtermToExit.TotalMilliseconds:0} ms (drain delay 1 s); " +
            $"{acknowledged.Count} acknowledged (201), {acknowledgedAfterSigterm} of them after SIGTERM, {persisted} persisted, {loggedCreates} logged; " +
            $"{cutMidResponse.Count} cut mid-response, {unanswered.Count} connections closed unanswered during the stop " +
            $"({unansweredButWritten} of those written), {otherFailures.Count} other failures");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero);
            Assert.That(cutMidResponse, Is.Empty, "no response is cut off");
            Assert.That(otherFailures, Is.Empty, "before the stop, every request is answered 201");
            Assert.That(unansweredButWritten, Is.Zero, "no request the server took in goes unanswered");
            Assert.That(acknowledged, Is.Not.Empty);
            Assert.That(acknowledgedAfterSigterm, Is.GreaterThan(0), "requests are still served during the drain delay");
            Assert.That(persisted, Is.EqualTo(acknowledged.Count), "every user answered 201 is in the database");
            Assert.That(loggedCreates, Is.GreaterThanOrEqualTo(acknowledged.Count), "every 201 has its request log line");
            Assert.That(service.Lines[^1], Does.Contain("shut down gracefully"));
        }
    }

    private static JsonElement? Parse(string line)
    {
        try
        {
            return JsonDocument.Parse(line).RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
