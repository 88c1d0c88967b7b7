using System.Net;
using System.Net.Http.Json;
using System.Text;
using BackendService.Api.Configuration;
using BackendService.Tests.Support;

namespace BackendService.Tests.Users;

/// <summary>
/// Input a careless or hostile client sends: text PostgreSQL cannot store or people cannot
/// see, one address spelled several ways, oversized bodies, names and URLs. Each gets a 4xx
/// ProblemDetails and changes nothing (the log side is in Operations/HostileClientProcessTests).
/// </summary>
public sealed class HostileInputTests : UsersTest
{
    [Test]
    public async Task NulInName_Is400OnNameField_OnCreateAndUpdate_AndNothingIsStored()
    {
        var (user, _) = await CreateUserAsync("kept@x.io", "Kept");

        using var create = await Client.PostAsync(UsersPath, CreateUserTests.JsonBody("""{"email":"nul@x.io","name":"a\u0000b"}"""));
        using var update = await Client.PutAsync($"{UsersPath}/{user.Id}", CreateUserTests.JsonBody("""{"email":"kept@x.io","name":"a\u0000b"}"""));

        foreach (var response in new[] { create, update })
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            var errors = (await ExpectProblemAsync(response)).GetProperty("errors");
            Assert.That(errors.GetProperty("name")[0].GetString(), Does.StartWith("Name contains U+0000"));
        }

        Assert.That(await ScalarAsync("SELECT count(*) FROM users"), Is.EqualTo(1));
        Assert.That(await ScalarAsync("SELECT count(*) FROM users WHERE name = 'Kept'"), Is.EqualTo(1));
    }

    [Test]
    public async Task ZeroWidthSpaceInEmail_IsRefused_SoNoLookAlikeAccountExists()
    {
        await CreateUserAsync("uni@x.io");

        using var lookAlike = await Client.PostAsJsonAsync(UsersPath, new { email = "u\u200bni@x.io", name = "Twin" });

        Assert.That(lookAlike.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var errors = (await ExpectProblemAsync(lookAlike)).GetProperty("errors");
        Assert.That(errors.GetProperty("email")[0].GetString(), Does.StartWith("Email contains U+200B"));
        Assert.That(await ScalarAsync("SELECT count(*) FROM users"), Is.EqualTo(1));
    }

    [Test]
    public async Task SameAddressInNfcAndNfd_IsOneAccount_StoredInNfc()
    {
        var (first, _) = await CreateUserAsync("\u00e9@x.io");

        using var decomposed = await Client.PostAsJsonAsync(UsersPath, new { email = "e\u0301@x.io", name = "NFD" });

        Assert.That(decomposed.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        await ExpectProblemAsync(decomposed);
        Assert.That(first.Email, Is.EqualTo("\u00e9@x.io"));
        Assert.That(await ScalarAsync("SELECT count(*) FROM users"), Is.EqualTo(1));
    }

    [Test]
    public async Task NameIsStoredInNfc()
    {
        var (user, _) = await CreateUserAsync("zoe@x.io", "Zoe\u0308");

        Assert.That(user.Name, Is.EqualTo("Zo\u00eb"));
        Assert.That(await ScalarAsync("SELECT count(*) FROM users WHERE name = $1", "Zo\u00eb"), Is.EqualTo(1));
    }

    /// <summary>
    /// The contract's case rule, on the default cluster and on a database whose ICU locale is
    /// Turkish (where lower('INFO') is 'ınfo'): the answers are the same because the key is
    /// computed by the service, not by the database.
    /// </summary>
    [Test]
    public async Task DottedAndDotlessI_GetTheSameAnswers_WhateverTheDatabaseLocale()
    {
        string[] emails = ["ınfo@x.io", "INFO@x.io", "İnfo@x.io", "info@x.io"];
        HttpStatusCode[] expected = [HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Conflict];

        Assert.That(await CreateEachAsync(Client, emails), Is.EqualTo(expected), "default cluster (C.UTF-8)");

        var turkish = await TestDatabase.CreateFreshAsync("backendservice_tests_icu_tr", "LOCALE_PROVIDER icu ICU_LOCALE 'tr-TR' LOCALE 'C.UTF-8' TEMPLATE template0");
        await using var factory = new ApiFactory(turkish);
        using var client = factory.CreateClient();
        Assert.That(await CreateEachAsync(client, emails), Is.EqualTo(expected), "ICU tr-TR database");
    }

    [Test]
    public async Task UnknownPropertyWithAHugeName_IsEchoedOnlyAsAShortExcerpt()
    {
        var name = new string('x', 15_000);

        using var response = await Client.PostAsync(UsersPath, CreateUserTests.JsonBody($$"""{"email":"a@x.io","name":"A","{{name}}":1}"""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(body.Length, Is.LessThan(1_000), body);
        var error = (await ExpectProblemAsync(response)).GetProperty("errors").EnumerateObject().Single();
        Assert.That(error.Name, Does.EndWith("x…").And.Length.LessThan(100));
        Assert.That(error.Value[0].GetString(), Does.EndWith("is not a known property. Check its spelling against the API documentation."));
    }

    [Test]
    public async Task QueryValueIsNeverEchoed()
    {
        var value = new string('9', 4_000);

        using var response = await Client.GetAsync($"{UsersPath}?limit={value}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Not.Contain("9999"));
    }

    [Test]
    public async Task DuplicateOrCaseVariantMembers_Are400_NotLastOneWins()
    {
        using var duplicate = await Client.PostAsync(UsersPath, CreateUserTests.JsonBody("""{"email":"a@x.io","name":"A","name":"B"}"""));
        using var caseVariant = await Client.PostAsync(UsersPath, CreateUserTests.JsonBody("""{"email":"a@x.io","Email":"b@x.io","name":"A"}"""));

        Assert.That((duplicate.StatusCode, caseVariant.StatusCode), Is.EqualTo((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest)));
        Assert.That((await ExpectProblemAsync(duplicate)).GetProperty("errors").GetProperty("name")[0].GetString(), Does.Contain("more than once"), "a known member given twice is not called unknown");
        await ExpectProblemAsync(caseVariant);
        Assert.That(await ScalarAsync("SELECT count(*) FROM users"), Is.Zero);
    }

    [TestCase("text/html")]
    [TestCase("text/plain")]
    [TestCase("application/xml")]
    public async Task UnknownRoute_IsProblemJson_WhateverTheAcceptHeader(string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/nope");
        request.Headers.Accept.ParseAdd(accept);

        using var response = await Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var problem = await ExpectProblemAsync(response);
        Assert.That(problem.GetProperty("instance").GetString(), Is.EqualTo("/nope"));
        Assert.That(problem.GetProperty("traceId").GetString(), Does.Match("^[0-9a-f]{32}$"));
    }

    [Test]
    public async Task DomainError_IsProblemJson_EvenWhenTheClientAcceptsOnlyHtml()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{UsersPath}/{Guid.NewGuid()}");
        request.Headers.Accept.ParseAdd("text/html");

        using var response = await Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await ExpectProblemAsync(response)).GetProperty("detail").GetString(), Does.StartWith("User "));
    }

    [Test]
    public async Task BodyOverTheApiLimit_Is413Problem_AndNothingIsStored()
    {
        // Kestrel enforces body limits; the in-memory test server does not.
        await using var kestrel = new ApiFactory(TestHost.ConnectionString, kestrel: true);
        using var client = kestrel.CreateKestrelClient();
        var justOver = new string('n', (int)new HttpServerOptions().MaxApiRequestBodyBytes);

        using var response = await client.PostAsync(UsersPath, CreateUserTests.JsonBody($$"""{"email":"big@x.io","name":"{{justOver}}"}"""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That((await ExpectProblemAsync(response)).GetProperty("status").GetInt32(), Is.EqualTo(413));
        Assert.That(await ScalarAsync("SELECT count(*) FROM users"), Is.Zero);
    }

    [Test]
    public async Task BodyLimit_IsASetting()
    {
        await using var kestrel = new ApiFactory(TestHost.ConnectionString, new Dictionary<string, string?> { ["Http:MaxApiRequestBodyBytes"] = "64" }, kestrel: true);
        using var client = kestrel.CreateKestrelClient();

        using var small = await client.PostAsJsonAsync(UsersPath, new { email = "s@x.io", name = "S" });
        using var large = await client.PostAsJsonAsync(UsersPath, new { email = "l@x.io", name = new string('L', 64) });

        Assert.That((small.StatusCode, large.StatusCode), Is.EqualTo((HttpStatusCode.Created, HttpStatusCode.RequestEntityTooLarge)));
    }

    [Test]
    public async Task LongQueryString_Is414Problem()
    {
        await using var kestrel = new ApiFactory(TestHost.ConnectionString, kestrel: true);
        using var client = kestrel.CreateKestrelClient();

        using var response = await client.GetAsync($"{UsersPath}?cursor={new string('a', 9 * 1024)}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestUriTooLong));
        Assert.That((await ExpectProblemAsync(response)).GetProperty("status").GetInt32(), Is.EqualTo(414));
    }

    /// <summary>
    /// Kestrel refuses a NUL in the path while parsing the request line, before the app sees the
    /// request: it answers a bare 400 and closes. That is where ASP.NET Core does not let us
    /// write a body (the contract says so); a NUL in the query does reach us and is a problem.
    /// </summary>
    [Test]
    public async Task Nul_InThePath_IsRefusedByKestrel_InTheQuery_IsA400Problem()
    {
        await using var kestrel = new ApiFactory(TestHost.ConnectionString, kestrel: true);
        using var client = kestrel.CreateKestrelClient();

        using var inPath = await client.GetAsync($"{UsersPath}/%00");
        using var inQuery = await client.GetAsync($"{UsersPath}?cursor=%00");

        Assert.That(inPath.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await inPath.Content.ReadAsStringAsync(), Is.Empty);
        Assert.That(inQuery.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await ExpectProblemAsync(inQuery)).GetProperty("errors").TryGetProperty("cursor", out _), Is.True);
    }

    private static async Task<HttpStatusCode[]> CreateEachAsync(HttpClient client, string[] emails)
    {
        var statuses = new List<HttpStatusCode>();
        foreach (var email in emails)
        {
            using var response = await client.PostAsync(UsersPath, new StringContent($$"""{"email":"{{email}}","name":"I"}""", Encoding.UTF8, "application/json"));
            statuses.Add(response.StatusCode);
        }

        return [.. statuses];
    }
}
