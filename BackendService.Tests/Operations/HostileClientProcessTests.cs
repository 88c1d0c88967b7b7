using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using BackendService.Tests.Support;
using BackendService.Tests.Users;

namespace BackendService.Tests.Operations;

/// <summary>
/// Hostile clients against the service as it ships (published, Production settings, its own
/// process): what they cost in memory, and that refusing them writes no Error to the log.
/// </summary>
public sealed class HostileClientProcessTests
{
    private const long PeakRssBudgetBytes = 256L * 1024 * 1024;

    private string _connectionString = string.Empty;

    [OneTimeSetUp]
    public async Task CreateDatabaseAsync() =>
        _connectionString = await TestDatabase.CreateFreshAsync("backendservice_tests_hostile");

    [Test]
    public async Task RefusedInputAndAClientHangingUpMidBody_LogNoError()
    {
        await using var service = await StartAsync();
        using var client = new HttpClient { BaseAddress = service.BaseAddress };
        Guid id;
        using (var created = await client.PostAsync(UsersApi.Path, Json("""{"email":"kept@x.io","name":"Kept"}""")))
        {
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            id = Guid.Parse(created.Headers.Location!.OriginalString.Split('/')[^1]);
        }

        using var nulCreate = await client.PostAsync(UsersApi.Path, Json("""{"email":"nul@x.io","name":"a\u0000b"}"""));
        using var nulUpdate = await client.PutAsync($"{UsersApi.Path}/{id}", Json("""{"email":"kept@x.io","name":"a\u0000b"}"""));
        using var malformed = await client.PostAsync(UsersApi.Path, Json("""{"email":"""));
        await HangUpMidBodyAsync(service.Port);

        // The hang-up's request line is written when the server notices; give it a moment.
        await WaitForAsync(() => service.Lines.Count(l => l.Contains($"\"RequestPath\":\"{UsersApi.Path}\"", StringComparison.Ordinal)) >= 5);

        var errors = service.Lines.Where(l => l.Contains("\"@l\":\"Error\"", StringComparison.Ordinal) || l.Contains("\"@l\":\"Fatal\"", StringComparison.Ordinal)).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That((nulCreate.StatusCode, nulUpdate.StatusCode, malformed.StatusCode), Is.EqualTo((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest)));
            Assert.That(errors, Is.Empty, string.Join('\n', service.Lines));
            Assert.That(service.Lines, Has.None.Contains("   at "), "no stack trace for a client's mistake");
            Assert.That(await TestDatabase.ScalarAsync(_connectionString, "SELECT count(*) FROM users WHERE name = 'Kept'"), Is.EqualTo(1));
        }
    }

    /// <summary>
    /// Thirty clients each sending a 10 MB name at once (ten with Content-Length and
    /// Expect: 100-continue, ten with Content-Length alone, ten chunked): every answer is 413, given
    /// before the body is read, and the process's peak resident set (VmHWM, which the kernel keeps
    /// for us) stays within 256 MB. A client still sending when the server answers and closes sees
    /// the connection reset instead (HttpClient does not read a response while it sends): HTTP allows that.
    /// </summary>
    [Test]
    public async Task ThirtyConcurrentTenMegabyteBodies_Are413_AndPeakRssStaysWithinBudget()
    {
        await using var service = await StartAsync();
        using var client = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var body = Encoding.UTF8.GetBytes($$"""{"email":"big@x.io","name":"{{new string('n', 10_000_000)}}"}""");
        var before = PeakRssBytes(service.Pid);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 30).Select(async i =>
        {
            HttpContent content = i % 3 < 2 ? new ByteArrayContent(body) : new StreamContent(new MemoryStream(body), 64 * 1024) { Headers = { ContentLength = null } };
            content.Headers.ContentType = new("application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, UsersApi.Path) { Content = content };
            request.Headers.ExpectContinue = i % 3 == 0;
            try
            {
                using var response = await client.SendAsync(request);
                return ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            }
            catch (HttpRequestException)
            {
                return "reset";
            }
            finally
            {
                content.Dispose();
            }
        }));

        var peak = PeakRssBytes(service.Pid);
        TestContext.Out.WriteLine($"peak RSS: {before / (1024 * 1024)} MB after start, {peak / (1024 * 1024)} MB after 30 x 10 MB; answers: {string.Join(' ', outcomes)}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcomes, Is.All.EqualTo("413").Or.EqualTo("reset"));
            Assert.That(outcomes.Where((_, i) => i % 3 == 0), Is.All.EqualTo("413"), "a client that waits for 100-continue reads the 413");
            Assert.That(peak, Is.LessThanOrEqualTo(PeakRssBudgetBytes));
            Assert.That(await TestDatabase.ScalarAsync(_connectionString, "SELECT count(*) FROM users WHERE email = 'big@x.io'"), Is.Zero);
        }
    }

    private Task<PublishedService> StartAsync() =>
        PublishedService.StartReadyAsync(new Dictionary<string, string> { ["DATABASE_URL"] = _connectionString });

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>Promises a 1000-byte body, sends 10 bytes of it, and closes the connection.</summary>
    private static async Task HangUpMidBodyAsync(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port);
        var head = $"POST {UsersApi.Path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"email\":";
        await socket.SendAsync(Encoding.ASCII.GetBytes(head));
        await Task.Delay(200);
        socket.Shutdown(SocketShutdown.Both);
    }

    private static long PeakRssBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 50 && !condition(); i++)
        {
            await Task.Delay(100);
        }
    }
}
