using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using BackendService.Tests.Support;
using BackendService.Tests.Users;

namespace BackendService.Tests.Observability;

/// <summary>Traces go over OTLP (HTTP/protobuf here) when the standard endpoint variable is set, with the trace id clients see.</summary>
public sealed class TracingTests
{
    [Test]
    public async Task OtlpEndpointSet_ExportsTheRequestsSpan_WithTheTraceIdOfTheProblemDetails()
    {
        using var collector = new FakeOtlpCollector();
        await using var factory = new ApiFactory(TestHost.ConnectionString, new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
        });
        using var client = factory.CreateClient();
        using var response = await new UsersApi(client).GetAsync(Guid.NewGuid());
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var traceId = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("traceId").GetString()!;

        // In OTLP protobuf the trace id is its 16 raw bytes. The server span ends just after
        // the response, and spans leave in batches: wait for the one that carries the route.
        var traceIdBytes = Convert.FromHexString(traceId);
        bool ServerSpanExported() => collector.Requests.Any(r => r.Path == "/v1/traces"
            && r.Body.AsSpan().IndexOf(traceIdBytes) >= 0 && r.Body.AsSpan().IndexOf("api/v1/users/{id}"u8) >= 0);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!ServerSpanExported() && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(collector.Requests.Where(r => r.Path == "/v1/traces"), Is.Not.Empty, "spans were exported");
            Assert.That(ServerSpanExported(), Is.True, "an exported batch holds the trace id of the ProblemDetails and the server span's route");
        }
    }

    /// <summary>The switch wins over the endpoint: an endpoint set for other services does not turn tracing on.</summary>
    [Test]
    public async Task TracingSwitchedOff_NothingIsExported_EvenWithAnEndpoint()
    {
        using var collector = new FakeOtlpCollector();
        await using (var factory = new ApiFactory(TestHost.ConnectionString, new Dictionary<string, string?>
        {
            ["Telemetry:TracingEnabled"] = "false",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
        }))
        {
            using var client = factory.CreateClient();
            using var response = await new UsersApi(client).GetAsync(Guid.NewGuid());
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));

            // Ten export intervals: long enough that a tracer left on would have sent the span.
            await Task.Delay(1000);
        }

        Assert.That(collector.Requests.Count, Is.Zero, "export requests the collector received");
    }

    /// <summary>Accepts OTLP/HTTP exports on a loopback port and keeps them.</summary>
    private sealed class FakeOtlpCollector : IDisposable
    {
        private readonly HttpListener _listener = new();

        public FakeOtlpCollector()
        {
            var port = ExternalProcess.FreeLoopbackPort();
            Endpoint = $"http://127.0.0.1:{port}";
            _listener.Prefixes.Add(Endpoint + "/");
            _listener.Start();
            _ = Task.Run(AcceptAsync);
        }

        public string Endpoint { get; }

        public ConcurrentBag<(string Path, byte[] Body)> Requests { get; } = [];

        public void Dispose() => _listener.Close();

        private async Task AcceptAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                Requests.Add((context.Request.Url!.AbsolutePath, body.ToArray()));

                // An empty export response: everything accepted.
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
                context.Response.Close();
            }
        }
    }
}
