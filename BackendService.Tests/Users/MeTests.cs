using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using BackendService.Api.Controllers;
using BackendService.Application.Users;
using BackendService.Tests.Support;

namespace BackendService.Tests.Users;

/// <summary>
/// End users on their own record (<c>/api/v1/users/me</c>, scope <c>users:self</c>), with tokens
/// from the real provider: the end users sign in (authorization code with PKCE), the administrator
/// is a client-credentials client. No end user reaches another's record by any method, by id or
/// by /me; administration stays as it was and sees only whether a record is bound.
/// </summary>
public sealed class MeTests : UsersTest
{
    private const string Me = UsersApi.Path + "/me";

    private IdentityProvider _provider = null!;
    private ApiFactory _secured = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task StartProviderAndServiceAsync()
    {
        _provider = await IdentityProvider.StartAsync();
        _secured = new ApiFactory(TestHost.ConnectionString, _provider.ServiceSettings);
        _client = _secured.CreateClient();
        Alice = await _provider.SignInAsync("alice", UserScopes.Self);
        Bob = await _provider.SignInAsync("bob", UserScopes.Self);
        Admin = await _provider.GetTokenAsync($"{UserScopes.Read} {UserScopes.Write}");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _secured.DisposeAsync();
        await _provider.DisposeAsync();
    }

    private string Alice { get; set; } = "";

    private string Bob { get; set; } = "";

    private string Admin { get; set; } = "";

    [Test]
    public async Task TwoEndUsers_CannotSeeOrChangeEachOthersRecords_ByIdOrByMe()
    {
        var alice = await CreateMeAsync(Alice, "alice@example.com", "Alice");
        var bob = await CreateMeAsync(Bob, "bob@example.com", "Bob");
        var bobsRecord = UsersApi.PathOf(bob.Id);

        var attempts = new Dictionary<string, HttpStatusCode>
        {
            ["GET bob by id"] = await StatusAsync(HttpMethod.Get, bobsRecord, Alice),
            ["PUT bob by id"] = await StatusAsync(HttpMethod.Put, bobsRecord, Alice, new { email = "taken@example.com", name = "Taken" }),
            ["DELETE bob by id"] = await StatusAsync(HttpMethod.Delete, bobsRecord, Alice),
            ["GET own by id"] = await StatusAsync(HttpMethod.Get, UsersApi.PathOf(alice.Id), Alice),
            ["list"] = await StatusAsync(HttpMethod.Get, UsersApi.Path, Alice),
            ["create by the admin path"] = await StatusAsync(HttpMethod.Post, UsersApi.Path, Alice, new { email = "other@example.com", name = "Other" }),
        };
        var alicesMe = await ReadMeAsync(Alice);
        var bobsMe = await ReadMeAsync(Bob);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(attempts, Has.All.Property("Value").EqualTo(HttpStatusCode.Forbidden), string.Join(", ", attempts));
            Assert.That(alicesMe.Id, Is.EqualTo(alice.Id), "/me is the caller's own record");
            Assert.That(bobsMe, Is.EqualTo(bob), "Bob's record is as he left it");
            Assert.That(await ScalarAsync("SELECT count(*) FROM users"), Is.EqualTo(2));
        }

        await TestContext.Out.WriteLineAsync($"cross-user attempts by Alice on Bob's record: {string.Join(", ", attempts.Select(a => $"{a.Key}: {(int)a.Value}"))}");
    }

    [Test]
    public async Task AnAdministrator_ListsEveryRecord_AndSeesWhetherEachIsBound_NotToWhom()
    {
        await CreateMeAsync(Alice, "alice@example.com", "Alice");
        using var created = await SendAsync(HttpMethod.Post, UsersApi.Path, Admin, new { email = "staff@example.com", name = "Staff" });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));

        using var list = await SendAsync(HttpMethod.Get, UsersApi.Path, Admin);
        var body = await list.Content.ReadAsStringAsync();
        var users = await list.Content.ReadFromJsonAsync<List<UserResponse>>(Json);

        Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(users!.ToDictionary(u => u.Email, u => u.BoundToIdentity), Is.EquivalentTo(new Dictionary<string, bool> { ["alice@example.com"] = true, ["staff@example.com"] = false }));
        Assert.That(body, Does.Not.Contain("alice\"").And.Not.Contain(_provider.Issuer), "never which identity");
    }

    [Test]
    public async Task ARecordAnAdministratorCreated_CannotBeClaimedByMe()
    {
        using var created = await SendAsync(HttpMethod.Post, UsersApi.Path, Admin, new { email = "ann@example.com", name = "Ann" });

        using var claim = await SendAsync(HttpMethod.Post, Me, Alice, new { email = "ann@example.com", name = "Ann" });
        using var mine = await SendAsync(HttpMethod.Get, Me, Alice);

        Assert.That((created.StatusCode, claim.StatusCode, mine.StatusCode), Is.EqualTo((HttpStatusCode.Created, HttpStatusCode.Conflict, HttpStatusCode.NotFound)));
        Assert.That((await ExpectProblemAsync(mine)).GetProperty("detail").GetString(), Does.Contain("POST /api/v1/users/me"));
        Assert.That(await ScalarAsync("SELECT count(*) FROM users WHERE identity_subject IS NOT NULL"), Is.Zero);
    }

    [Test]
    public async Task TheBinding_SurvivesAnEmailChange_AndASecondRecordIsRefused()
    {
        var alice = await CreateMeAsync(Alice, "alice@example.com", "Alice");

        using var update = await SendAsync(HttpMethod.Put, Me, Alice, new { email = "alice.new@example.com", name = "Alice" });
        using var second = await SendAsync(HttpMethod.Post, Me, Alice, new { email = "alice.two@example.com", name = "Alice Two" });
        var after = await ReadMeAsync(Alice);

        Assert.That((update.StatusCode, second.StatusCode), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.Conflict)));
        Assert.That((after.Id, after.Email, after.BoundToIdentity), Is.EqualTo((alice.Id, "alice.new@example.com", true)));
    }

    [Test]
    public async Task DeletingMe_FreesTheIdentityToSignUpAgain()
    {
        var first = await CreateMeAsync(Alice, "alice@example.com", "Alice");

        using var deleted = await SendAsync(HttpMethod.Delete, Me, Alice);
        using var gone = await SendAsync(HttpMethod.Get, Me, Alice);
        var again = await CreateMeAsync(Alice, "alice@example.com", "Alice");

        Assert.That((deleted.StatusCode, gone.StatusCode), Is.EqualTo((HttpStatusCode.NoContent, HttpStatusCode.NotFound)));
        Assert.That(again.Id, Is.Not.EqualTo(first.Id));
    }

    [Test]
    public async Task MeIsConditional_AndItsCreateIsIdempotent()
    {
        using var first = await SendAsync(HttpMethod.Post, Me, Alice, new { email = "alice@example.com", name = "Alice" }, idempotencyKey: "signup-1");
        using var retry = await SendAsync(HttpMethod.Post, Me, Alice, new { email = "alice@example.com", name = "Alice" }, idempotencyKey: "signup-1");
        var etag = first.Headers.ETag!.ToString();
        using var notModified = await SendAsync(HttpMethod.Get, Me, Alice, ifNoneMatch: etag);
        using var updated = await SendAsync(HttpMethod.Put, Me, Alice, new { email = "alice@example.com", name = "Alice B" }, ifMatch: etag);
        using var stale = await SendAsync(HttpMethod.Put, Me, Alice, new { email = "alice@example.com", name = "Alice C" }, ifMatch: etag);

        Assert.That((first.StatusCode, retry.StatusCode), Is.EqualTo((HttpStatusCode.Created, HttpStatusCode.Created)));
        Assert.That(first.Headers.Location!.ToString(), Does.EndWith(Me));
        Assert.That(retry.Headers.GetValues("Idempotent-Replayed"), Is.EqualTo(new[] { "true" }));
        Assert.That((notModified.StatusCode, updated.StatusCode, stale.StatusCode), Is.EqualTo((HttpStatusCode.NotModified, HttpStatusCode.OK, HttpStatusCode.PreconditionFailed)));
    }

    [Test]
    public async Task ASignIn_GetsOnlyTheEndUserScope_EvenWhenItAsksForAdministration()
    {
        var asked = await _provider.SignInAsync("alice", $"{UserScopes.Self} {UserScopes.Read} {UserScopes.Write}");

        var list = await StatusAsync(HttpMethod.Get, UsersApi.Path, asked);
        var create = await StatusAsync(HttpMethod.Post, UsersApi.Path, asked, new { email = "alice@example.com", name = "Alice" });
        var me = await StatusAsync(HttpMethod.Get, Me, asked);

        Assert.That((list, create, me), Is.EqualTo((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.NotFound)), "the public client gives people users:self and nothing more");
        Assert.That(async () => await _provider.SignInAsync("alice", UserScopes.Self, password: "wrong"), Throws.InvalidOperationException.With.Message.Contains("refused the sign-in"));
    }

    [Test]
    public async Task AnAdministratorsOrServicesToken_GetsNoRecordOfItsOwn()
    {
        using var response = await SendAsync(HttpMethod.Get, Me, Admin);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "users:self is the end user's scope; administration keeps users:read and users:write");
    }

    private async Task<UserResponse> CreateMeAsync(string token, string email, string name)
    {
        using var response = await SendAsync(HttpMethod.Post, Me, token, new { email, name });
        await ExpectStatusAsync(response, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<UserResponse>(Json))!;
    }

    private async Task<UserResponse> ReadMeAsync(string token)
    {
        using var response = await SendAsync(HttpMethod.Get, Me, token);
        await ExpectStatusAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<UserResponse>(Json))!;
    }

    private async Task<HttpStatusCode> StatusAsync(HttpMethod method, string path, string token, object? body = null)
    {
        using var response = await SendAsync(method, path, token, body);
        return response.StatusCode;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, object? body = null, string? idempotencyKey = null, string? ifNoneMatch = null, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        foreach (var (name, value) in new[] { ("Idempotency-Key", idempotencyKey), ("If-None-Match", ifNoneMatch), ("If-Match", ifMatch) })
        {
            if (value is not null)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return await _client.SendAsync(request);
    }
}
