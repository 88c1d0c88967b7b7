using System.Text.RegularExpressions;
using BackendService.Tests.Support;

namespace BackendService.Tests.Operations;

/// <summary>
/// bench/run in its smoke mode (about a second per endpoint, no thresholds), so the benchmark
/// cannot rot: it must build, start both servers, drive every endpoint without an error and
/// print its ratios. The figures themselves are not judged here; see bench/RESULTS.md.
/// </summary>
[Category("Benchmark")]
public sealed class BenchmarkSmokeTests
{
    [Test]
    public async Task BenchRun_Smoke_DrivesEveryEndpointWithoutErrors()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var result = await ExternalProcess.RunAsync("bash", [Path.Combine(TestDatabase.RepositoryRoot(), "bench", "run"), "--smoke"], cancellationToken: timeout.Token);

        var text = result.Output;
        await TestContext.Out.WriteLineAsync(text);
        Assert.That(result.ExitCode, Is.Zero, result.AllOutput);
        Assert.That(File.Exists(Path.Combine(TestDatabase.RepositoryRoot(), ".local", "pg-bench", "postmaster.pid")), Is.False, "the benchmark's cluster is stopped when it ends");
        using (Assert.EnterMultipleScope())
        {
            // Each endpoint: a run of each side (the Node.js peer too) with no errors, its ratio
            // lines (against the floor and the peer) and its target lines.
            var lines = text.Split('\n');
            foreach (var endpoint in new[] { "GET /users/{id}", "POST /users", "GET /users?limit=50", "PUT /users/{id}" })
            {
                var prefix = $"  {endpoint} ";
                foreach (var side in new[] { "service", "baseline", "peer" })
                {
                    Assert.That(lines, Has.One.Match($@"^{Regex.Escape(prefix)}\s+{side}\s+\d+ req/s .* errors 0  non-2xx 0 "), $"{endpoint} {side}");
                }

                Assert.That(lines, Has.Exactly(2).Match($@"^{Regex.Escape(prefix)}\s+throughput \d+\.\d+  cpu/request \d+\.\d+"), $"{endpoint} ratios");
                Assert.That(lines, Has.One.Match($@"^  (MET   |MISSED) {Regex.Escape(endpoint)}: ahead of the peer "), $"{endpoint} against the peer");
                Assert.That(lines, Has.One.Match($@"^  (MET   |MISSED) {Regex.Escape(endpoint)}: cpu/request <= 1\.8 x floor "), $"{endpoint} CPU target");
            }

            foreach (var side in new[] { "no-auth", "auth", "auth-nocache" })
            {
                Assert.That(lines, Has.One.Match($@"^  GET /users/\{{id\}}\s+{side}\s+\d+ req/s .* errors 0  non-2xx 0 "), $"authentication: {side}");
            }

            Assert.That(text, Does.Match(@"price per request \(CPU\): token cache on [+-]\d+\.\d us, cache off [+-]\d+\.\d us"));
            foreach (var side in new[] { "service", "baseline" })
            {
                Assert.That(lines, Has.One.Match($@"^  {side}\s+\d+ req/s achieved  p50 .* max .* errors 0  non-2xx 0 "), $"steady rate: {side}");
            }

            Assert.That(lines, Has.One.Match(@"^  POST /users \+ key\s+service\s+\d+ req/s .* errors 0  non-2xx 0 "), "POST with an Idempotency-Key");
            Assert.That(text, Does.Match(@"with key / without: cpu/request \d+\.\d+"));
            Assert.That(text, Does.Match(@"service / floor: p50 \d+\.\d+  p99 \d+\.\d+"));
            Assert.That(text, Does.Match(@"start to ready \(median of 1 start\(s\)\): service \d+ ms, baseline \d+ ms, peer \d+ ms"));
            Assert.That(text, Does.Contain("ratio = service / peer"));
            Assert.That(text, Does.Contain("peak RSS"));
            Assert.That(text, Does.Not.Contain("pgbench failed"));
        }
    }
}
