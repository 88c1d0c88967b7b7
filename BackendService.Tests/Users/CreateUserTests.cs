using System.Net;
using System.Net.Http.Json;
using System.Text;
using BackendService.Application.Users;
using BackendService.Domain.Users;
using BackendService.Tests.Support;

namespace BackendService.Tests.Users;

public sealed class CreateUserTests : UsersTest
{
    [Test]
    public async Task Returns201_WithUserLocationAndETag()
    {
        var before = DateTime.UtcNow.AddSeconds(-1);
        using var response = await Client.PostAsJsonAsync(UsersPath, new { email = "  Ann@Example.com ", name = "  Ann  " });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var user = await response.Content.ReadFromJsonAsync<UserResponse>(Json);
        Assert.That(user, Is.Not.Null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(user!.Email, Is.EqualTo("Ann@Example.com"), "trimmed, case kept");
            Assert.That(user.Name, Is.EqualTo("Ann"));
            Assert.That(user.Id, Is.Not.EqualTo(Guid.Empty));
            Assert.That(user.CreatedAt, Is.GreaterThan(before).And.LessThan(DateTime.UtcNow.AddSeconds(1)));
            Assert.That(user.UpdatedAt, Is.EqualTo(user.CreatedAt));
            Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"{UsersApi.Path}/{user.Id}"));
            Assert.That(response.Headers.ETag?.IsWeak, Is.False);
        }

        // What the create returned is exactly what a read returns (timestamps included).
        using var get = await Client.GetAsync(response.Headers.Location);
        Assert.That(await get.Content.ReadFromJsonAsync<UserResponse>(Json), Is.EqualTo(user));
        Assert.That(get.Headers.ETag, Is.EqualTo(response.Headers.ETag));
    }

    [Test]
    public async Task WritesTimestampsAsUtcIso8601()
    {
        using var response = await Client.PostAsJsonAsync(UsersPath, new { email = "iso@example.com", name = "Iso" });
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(body, Does.Match("\"createdAt\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,6})?Z\""));
    }

    [Test]
    public async Task Returns409_WhenEmailAlreadyTaken_IgnoringCase()
    {
        await CreateUserAsync("ann@example.com");

        using var response = await Client.PostAsJsonAsync(UsersPath, new { email = "ANN@Example.COM", name = "Other Ann" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        var problem = await ExpectProblemAsync(response);
        Assert.That(problem.GetProperty("status").GetInt32(), Is.EqualTo(409));
        Assert.That(await ScalarAsync("SELECT count(*) FROM users"), Is.EqualTo(1));
    }

    [Test]
    public async Task TwentyConcurrentCreatesOfOneEmail_GiveOne201AndNineteen409()
    {
        using var start = new ManualResetEventSlim();
        var requests = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            start.Wait();
            var email = i % 2 == 0 ? "race@example.com" : "RACE@example.com";
            using var response = await Client.PostAsJsonAsync(UsersPath, new { email, name = $"Racer {i}" });
            return response.StatusCode;
        })).ToList();
        start.Set();
        var statuses = await Task.WhenAll(requests);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(statuses.Count(s => s == HttpStatusCode.Created), Is.EqualTo(1));
            Assert.That(statuses.Count(s => s == HttpStatusCode.Conflict), Is.EqualTo(19));
        }

        Assert.That(await ScalarAsync("SELECT count(*) FROM users"), Is.EqualTo(1));
    }

    [TestCase(null, "Ann", "email", TestName = "Returns400_WhenEmailMissing")]
    [TestCase("   ", "Ann", "email", TestName = "Returns400_WhenEmailBlank")]
    [TestCase("not-an-email", "Ann", "email", TestName = "Returns400_WhenEmailInvalid")]
    [TestCase("Ann <ann@example.com>", "Ann", "email", TestName = "Returns400_WhenEmailHasDisplayName")]
    [TestCase("ann@example.com", null, "name", TestName = "Returns400_WhenNameMissing")]
    [TestCase("ann@example.com", "   ", "name", TestName = "Returns400_WhenNameBlank")]
    public async Task Returns400_ForInvalidInput(string? email, string? name, string field)
    {
        using var response = await Client.PostAsJsonAsync(UsersPath, new { email, name });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = await ExpectProblemAsync(response);
        Assert.That(problem.GetProperty("errors").TryGetProperty(field, out var messages), Is.True, problem.ToString());
        Assert.That(messages.GetArrayLength(), Is.GreaterThan(0));
        Assert.That(await ScalarAsync("SELECT count(*) FROM users"), Is.Zero);
    }

    [Test]
    public async Task Returns400_WhenEmailLongerThanItsLimit()
    {
        // DNS labels are at most 63 characters, so the long domain has several.
        var email = new string('a', 64) + "@" + string.Join('.', Enumerable.Repeat(new string('b', 60), 3)) + "." + new string('c', 3) + ".com";
        Assert.That(email, Has.Length.EqualTo(UserConstraints.EmailMaxLength + 1));

        using var tooLong = await Client.PostAsJsonAsync(UsersPath, new { email, name = "Long" });
        using var atLimit = await Client.PostAsJsonAsync(UsersPath, new { email = email[1..], name = "Long" });

        Assert.That(tooLong.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(atLimit.StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    [Test]
    public async Task Returns400_WhenNameLongerThan200()
    {
        using var tooLong = await Client.PostAsJsonAsync(UsersPath, new { email = "a@example.com", name = new string('n', 201) });
        using var atLimit = await Client.PostAsJsonAsync(UsersPath, new { email = "b@example.com", name = " " + new string('n', 200) + " " });

        Assert.That(tooLong.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = await ExpectProblemAsync(tooLong);
        Assert.That(problem.GetProperty("errors").TryGetProperty("name", out _), Is.True);
        Assert.That(atLimit.StatusCode, Is.EqualTo(HttpStatusCode.Created), "200 characters after trimming are allowed");
    }

    [Test]
    public async Task Returns400_WithBothFields_WhenBothInvalid()
    {
        using var response = await Client.PostAsJsonAsync(UsersPath, new { email = "nope", name = "" });

        var errors = (await ExpectProblemAsync(response)).GetProperty("errors");
        Assert.That(errors.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "email", "name" }));
    }

    [Test]
    public async Task Returns400_WhenUnknownPropertySent()
    {
        using var response = await Client.PostAsync(UsersPath, JsonBody("""{"emial":"ann@example.com","email":"ann@example.com","name":"Ann"}"""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = await ExpectProblemAsync(response);
        Assert.That(problem.GetProperty("errors").TryGetProperty("emial", out _), Is.True, problem.ToString());
        Assert.That(await ScalarAsync("SELECT count(*) FROM users"), Is.Zero);
    }

    [TestCase("""{"email":"ann@example.com","name":""", TestName = "Returns400_WhenJsonTruncated")]
    [TestCase("""{"email":"ann@example.com" "name":"Ann"}""", TestName = "Returns400_WhenJsonMissesComma")]
    [TestCase("not json at all", TestName = "Returns400_WhenBodyIsNotJson")]
    [TestCase("""{"email":"ann@example.com","name":5}""", TestName = "Returns400_WhenNameIsANumber")]
    public async Task Returns400_WithoutInternals_ForMalformedBody(string body)
    {
        using var response = await Client.PostAsync(UsersPath, JsonBody(body));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var text = (await ExpectProblemAsync(response)).ToString();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Does.Contain("\"errors\""));
            Assert.That(text, Does.Not.Contain("System."));
            Assert.That(text, Does.Not.Contain("Exception"));
            Assert.That(text, Does.Not.Contain("BackendService"));
            Assert.That(text, Does.Not.Contain("LineNumber"));
            Assert.That(text, Does.Not.Contain("BytePosition"));
        }
    }

    [Test]
    public async Task Returns415_WhenBodyIsNotJson()
    {
        using var response = await Client.PostAsync(UsersPath, new StringContent("email=ann@example.com&name=Ann", Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
        var problem = await ExpectProblemAsync(response);
        Assert.That(problem.GetProperty("status").GetInt32(), Is.EqualTo(415));
        Assert.That(await ScalarAsync("SELECT count(*) FROM users"), Is.Zero);
    }

    [Test]
    public async Task Returns413_WhenBodyLargerThan10MiB()
    {
        // Body limits are enforced by Kestrel, which the in-memory test server does not run.
        await using var kestrel = new ApiFactory(TestHost.ConnectionString, kestrel: true);
        using var client = kestrel.CreateKestrelClient();
        var name = new string('n', (10 * 1024 * 1024) + 1);
        using var request = new HttpRequestMessage(HttpMethod.Post, UsersPath)
        {
            Content = JsonBody($$"""{"email":"big@example.com","name":"{{name}}"}"""),
        };

        // Lets the server refuse before the upload, as a well-behaved large-upload client does;
        // otherwise the 413 races the client still writing the body.
        request.Headers.ExpectContinue = true;
        using var response = await client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        var problem = await ExpectProblemAsync(response);
        Assert.That(problem.GetProperty("status").GetInt32(), Is.EqualTo(413));
        Assert.That(await ScalarAsync("SELECT count(*) FROM users"), Is.Zero);
    }

    internal static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");
}
