using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using BackendService.Api.Controllers;
using BackendService.Tests.Support;
using BackendService.Tests.Users;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BackendService.Tests.Security;

/// <summary>
/// Bearer tokens from a real OpenID Connect provider: which scope opens which operation, which
/// tokens are refused, key rotation without a restart, and an issuer that is not there yet.
/// </summary>
public sealed class AuthenticationTests : UsersTest
{
    private IdentityProvider _provider = null!;
    private ApiFactory _secured = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task StartProviderAndServiceAsync()
    {
        _provider = await IdentityProvider.StartAsync();
        _secured = Secured(_provider);
        _client = _secured.CreateClient();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _secured.DisposeAsync();
        await _provider.DisposeAsync();
    }

    [TestCase(UserScopes.Read, true, false)]
    [TestCase(UserScopes.Write, false, true)]
    [TestCase(UserScopes.Read + " " + UserScopes.Write, true, true)]
    public async Task EachScope_OpensItsOperations_AndOnlyThose(string scope, bool mayRead, bool mayWrite)
    {
        var (existing, _) = await CreateUserAsync("existing@example.com");
        var token = await _provider.GetTokenAsync(scope);

        var statuses = new Dictionary<string, HttpStatusCode>
        {
            ["list"] = await SendAsync(HttpMethod.Get, UsersPath, token),
            ["get"] = await SendAsync(HttpMethod.Get, $"{UsersPath}/{existing.Id}", token),
            ["create"] = await SendAsync(HttpMethod.Post, UsersPath, token, new { email = "new@example.com", name = "New" }),
            ["update"] = await SendAsync(HttpMethod.Put, $"{UsersPath}/{existing.Id}", token, new { email = "existing@example.com", name = "Renamed" }),
        };
        statuses["delete"] = await SendAsync(HttpMethod.Delete, $"{UsersPath}/{existing.Id}", token);

        var read = mayRead ? HttpStatusCode.OK : HttpStatusCode.Forbidden;
        Assert.That(statuses, Is.EquivalentTo(new Dictionary<string, HttpStatusCode>
        {
            ["list"] = read,
            ["get"] = read,
            ["create"] = mayWrite ? HttpStatusCode.Created : HttpStatusCode.Forbidden,
            ["update"] = mayWrite ? HttpStatusCode.OK : HttpStatusCode.Forbidden,
            ["delete"] = mayWrite ? HttpStatusCode.NoContent : HttpStatusCode.Forbidden,
        }));
    }

    [Test]
    public async Task MissingScope_Is403Problem_NamingTheScope()
    {
        var token = await _provider.GetTokenAsync(UserScopes.Read);
        using var request = Request(HttpMethod.Post, UsersPath, token, new { email = "w@example.com", name = "W" });

        using var response = await _client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.Contain("insufficient_scope").And.Contain(UserScopes.Write));
        Assert.That((await ExpectProblemAsync(response)).GetProperty("detail").GetString(), Does.Contain(UserScopes.Write));
        Assert.That(await ScalarAsync("SELECT count(*) FROM users"), Is.Zero);
    }

    [TestCase("none")]
    [TestCase("expired")]
    [TestCase("not yet valid")]
    [TestCase("wrong audience")]
    [TestCase("wrong issuer")]
    [TestCase("alg none")]
    [TestCase("tampered signature")]
    [TestCase("unknown kid")]
    [TestCase("no scope")]
    public async Task RefusedToken_Is401ProblemWithBearerChallenge(string kind)
    {
        var token = kind switch
        {
            "none" => null,
            "expired" => Sign(expires: DateTime.UtcNow.AddMinutes(-10)),
            "not yet valid" => Sign(notBefore: DateTime.UtcNow.AddMinutes(10)),
            "wrong audience" => Sign(audience: "api://someone-else"),
            "wrong issuer" => Sign(issuer: "http://127.0.0.1:1"),
            "alg none" => Unsigned(),
            "tampered signature" => Tampered(await _provider.GetTokenAsync(UserScopes.Read)),
            "unknown kid" => Sign(key: IdentityProvider.NewKey()),
            "no scope" => Sign(scope: null),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        using var response = await _client.SendAsync(Request(HttpMethod.Get, UsersPath, token));

        // A well-signed token without the scope is a 403, not a 401: it is valid, it just may not do this.
        var expected = kind == "no scope" ? HttpStatusCode.Forbidden : HttpStatusCode.Unauthorized;
        Assert.That(response.StatusCode, Is.EqualTo(expected), kind);
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.StartWith("Bearer"));
        Assert.That((await ExpectProblemAsync(response)).GetProperty("status").GetInt32(), Is.EqualTo((int)expected));
    }

    [Test]
    public async Task ASignedTokenWithTheRightClaims_IsAccepted_SoTheRefusalsAboveAreForTheirReason()
    {
        using var response = await _client.SendAsync(Request(HttpMethod.Get, UsersPath, Sign()));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task ACachedToken_IsRefusedOnceItsExpHasPassed()
    {
        var settings = _provider.ServiceSettings;
        settings["Auth:ClockSkewSeconds"] = "0";
        await using var factory = new ApiFactory(TestHost.ConnectionString, settings);
        using var client = factory.CreateClient();
        var expires = DateTime.UtcNow.AddSeconds(5); // exp is whole seconds: up to one earlier
        var token = Sign(expires: expires);

        var whileValid = await SendAsync(client, HttpMethod.Get, UsersPath, token);
        var alsoWhileValid = await SendAsync(client, HttpMethod.Get, UsersPath, token); // from the cache
        await Task.Delay(expires - DateTime.UtcNow + TimeSpan.FromSeconds(1));
        var afterExp = await SendAsync(client, HttpMethod.Get, UsersPath, token);

        Assert.That(new[] { whileValid, alsoWhileValid, afterExp }, Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Unauthorized }));
    }

    [Test]
    public async Task IdempotencyKeys_AreTheCallers_TwoCallersMayUseOneKey()
    {
        var alice = Sign(scope: UserScopes.Write, subject: "alice");
        var bob = Sign(scope: UserScopes.Write, subject: "bob");

        var fromAlice = await CreateWithKeyAsync(alice, new { email = "alice@example.com", name = "Alice" });
        var fromBob = await CreateWithKeyAsync(bob, new { email = "bob@example.com", name = "Bob" });
        var aliceAgainWithBobsBody = await CreateWithKeyAsync(alice, new { email = "bob@example.com", name = "Bob" });

        Assert.That(new[] { fromAlice, fromBob, aliceAgainWithBobsBody }, Is.EqualTo(new[] { HttpStatusCode.Created, HttpStatusCode.Created, (HttpStatusCode)422 }));
        Assert.That(await ScalarAsync("SELECT count(*) FROM users"), Is.EqualTo(2));

        async Task<HttpStatusCode> CreateWithKeyAsync(string token, object body)
        {
            using var request = Request(HttpMethod.Post, UsersPath, token, body);
            request.Headers.Add("Idempotency-Key", "shared-key");
            using var response = await _client.SendAsync(request);
            return response.StatusCode;
        }
    }

    [Test]
    public async Task ByDefault_ATokenExpired90SecondsAgo_IsRefused_AndOneExpired10SecondsAgoIsNot()
    {
        var now = DateTime.UtcNow;

        var expired90 = await SendAsync(HttpMethod.Get, UsersPath, Sign(expires: now.AddSeconds(-90), notBefore: now.AddMinutes(-10)));
        var expired10 = await SendAsync(HttpMethod.Get, UsersPath, Sign(expires: now.AddSeconds(-10), notBefore: now.AddMinutes(-10)));

        Assert.That((expired90, expired10), Is.EqualTo((HttpStatusCode.Unauthorized, HttpStatusCode.OK)), "the default clock skew is 30 s");
    }

    [Test]
    public async Task AppOnlyTokens_CarryTheirPermissionsInRoles_AndAreHonoured()
    {
        var token = Sign(scope: null, roles: [UserScopes.Read]);

        Assert.That(await SendAsync(HttpMethod.Get, UsersPath, token), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await SendAsync(HttpMethod.Post, UsersPath, token, new { email = "r@example.com", name = "R" }), Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task OnlyTheConfiguredAlgorithms_AreAccepted()
    {
        await using var onlyEs256 = Secured(_provider, ("Auth:Algorithms:0", "ES256"));
        using var client = onlyEs256.CreateClient();

        Assert.That(await SendAsync(client, HttpMethod.Get, UsersPath, Sign()), Is.EqualTo(HttpStatusCode.Unauthorized), "an RS256 token where only ES256 is accepted");
    }

    [TestCase("HS256")]
    [TestCase("none")]
    public void ASymmetricOrNoAlgorithm_IsRefusedAtStart(string algorithm)
    {
        var options = new Api.Security.AuthOptions { Authority = "https://issuer.example", Audience = "api://x", Algorithms = [algorithm] };

        var result = new Api.Security.AuthOptionsValidator().Validate(null, options);

        Assert.That(result.Failed, Is.True);
        Assert.That(result.FailureMessage, Does.Contain($"'{algorithm}' is not one"));
    }

    [Test]
    public async Task IdempotencyKeys_AreScopedByClientToo_TwoClientsActingForOnePersonKeepThemApart()
    {
        var fromWebApp = Sign(scope: UserScopes.Write, subject: "ann", client: "web-app");
        var fromMobileApp = Sign(scope: UserScopes.Write, subject: "ann", client: "mobile-app");

        using var first = Request(HttpMethod.Post, UsersPath, fromWebApp, new { email = "web@example.com", name = "Web" });
        first.Headers.Add("Idempotency-Key", "ann-key");
        using var second = Request(HttpMethod.Post, UsersPath, fromMobileApp, new { email = "mobile@example.com", name = "Mobile" });
        second.Headers.Add("Idempotency-Key", "ann-key");
        using var firstResponse = await _client.SendAsync(first);
        using var secondResponse = await _client.SendAsync(second);

        Assert.That((firstResponse.StatusCode, secondResponse.StatusCode), Is.EqualTo((HttpStatusCode.Created, HttpStatusCode.Created)));
        Assert.That(secondResponse.Headers.Contains("Idempotent-Replayed"), Is.False);
        Assert.That(await ScalarAsync("SELECT count(*) FROM users"), Is.EqualTo(2));
    }

    [Test]
    public async Task AKeyedRequest_WithATokenThatNamesNoCaller_Is400_AndStoresNothing()
    {
        using var request = Request(HttpMethod.Post, UsersPath, Sign(scope: UserScopes.Write, subject: null), new { email = "nobody@example.com", name = "Nobody" });
        request.Headers.Add("Idempotency-Key", "whose-key");

        using var response = await _client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await ExpectProblemAsync(response)).GetProperty("errors").TryGetProperty("Idempotency-Key", out _), Is.True);
        Assert.That(await ScalarAsync("SELECT count(*) FROM users"), Is.Zero);
    }

    [Test]
    public async Task RateLimits_AreKeyedByTheTokensClient_AnonymousCallersByAddress()
    {
        await using var limited = Secured(_provider, ("RateLimiting:Enabled", "true"), ("RateLimiting:PermitLimit", "3"), ("RateLimiting:WindowSeconds", "60"));
        using var client = limited.CreateClient();
        var webApp = Sign(subject: "ann", client: "web-app");
        var otherApp = Sign(subject: "bob", client: "other-app");

        var fromWebApp = new List<HttpStatusCode>();
        var anonymous = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            fromWebApp.Add(await SendAsync(client, HttpMethod.Get, UsersPath, webApp));
            anonymous.Add(await SendAsync(client, HttpMethod.Get, UsersPath, token: null));
        }

        var fromOtherApp = await SendAsync(client, HttpMethod.Get, UsersPath, otherApp);

        Assert.That(fromWebApp, Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        Assert.That(fromOtherApp, Is.EqualTo(HttpStatusCode.OK), "another client from the same address has a bucket of its own");
        Assert.That(anonymous, Is.EqualTo(new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests }), "refused tokens count too, by address");
    }

    [Test]
    public async Task WithASwaggerClient_TheDocumentDeclaresTheIssuersSignIn_AndSwaggerUiUsesPkce()
    {
        await using var withSignIn = Secured(_provider, ("Auth:SwaggerClientId", "backendservice-swagger"));
        using var client = withSignIn.CreateClient();

        using var document = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync("/swagger/v1/swagger.json"));
        var signIn = document.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("signIn");
        var getMe = document.RootElement.GetProperty("paths").GetProperty(UsersPath + "/me").GetProperty("get");
        var ui = await client.GetStringAsync("/swagger/index.html") + await client.GetStringAsync("/swagger/index.js");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(signIn.GetProperty("type").GetString(), Is.EqualTo("openIdConnect"));
            Assert.That(signIn.GetProperty("openIdConnectUrl").GetString(), Is.EqualTo($"{_provider.Issuer}/.well-known/openid-configuration"));
            Assert.That(getMe.GetProperty("security").EnumerateArray().Select(r => r.EnumerateObject().Single()).Select(r => (r.Name, string.Join(' ', r.Value.EnumerateArray().Select(s => s.GetString())))),
                Is.EquivalentTo(new[] { ("bearer", string.Empty), ("signIn", UserScopes.Self) }), "the bearer scheme, and the sign-in with the operation's scope");
            Assert.That(ui, Does.Contain("\"clientId\":\"backendservice-swagger\"").And.Contain("\"usePkceWithAuthorizationCodeGrant\":true").And.Contain($"\"scopes\":[\"{UserScopes.Self}\"]"), "PKCE, with the end-user scopes ticked");
        }

        await using var withoutSignIn = Secured(_provider, ("Auth:SwaggerClientId", ""));
        using var withoutClient = System.Text.Json.JsonDocument.Parse(await withoutSignIn.CreateClient().GetStringAsync("/swagger/v1/swagger.json"));
        Assert.That(withoutClient.RootElement.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("signIn", out _), Is.False, "no sign-in without a client for it");
    }

    [TestCase("/health/live")]
    [TestCase("/health/ready")]
    [TestCase("/health")]
    [TestCase("/metrics")]
    [TestCase("/swagger/v1/swagger.json")]
    public async Task ProbesMetricsAndDocs_AreAnonymous(string path)
    {
        using var response = await _client.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task UnknownRoute_WithoutAToken_Is401_SoNothingIsLearntAboutTheApi()
    {
        using var response = await _client.GetAsync("/api/v2/secrets");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        await ExpectProblemAsync(response);
    }

    [Test]
    public async Task KeyRotation_NewTokensAreAccepted_WithoutARestart()
    {
        // A provider and a service of its own: rotating the shared provider's key would change the other tests' tokens.
        await using var provider = await IdentityProvider.StartAsync();
        await using var factory = Secured(provider);
        using var client = factory.CreateClient();
        var before = await provider.GetTokenAsync(UserScopes.Read);
        Assert.That(await SendAsync(client, HttpMethod.Get, UsersPath, before), Is.EqualTo(HttpStatusCode.OK));

        await provider.RotateKeyAsync();
        var rotated = Stopwatch.StartNew();
        var after = await provider.GetTokenAsync(UserScopes.Read);
        Assert.That(new JsonWebToken(after).Kid, Is.EqualTo(provider.SigningKey.KeyId), "the provider signs with the new key");

        var status = await SendAsync(client, HttpMethod.Get, UsersPath, after);
        while (status != HttpStatusCode.OK && rotated.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100);
            status = await SendAsync(client, HttpMethod.Get, UsersPath, after);
        }

        TestContext.Out.WriteLine($"key rotation: the first token signed with the new key was accepted {rotated.ElapsedMilliseconds} ms after the provider restarted with it");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await SendAsync(client, HttpMethod.Get, UsersPath, before), Is.EqualTo(HttpStatusCode.OK), "the old key is still published, so tokens it signed still pass");
    }

    [Test]
    public async Task ProviderUnreachableAtStart_ServiceStartsNotReady_AndBecomesReadyWhenItAnswers()
    {
        await using var later = await IdentityProvider.StartAsync(start: false);
        await using var factory = new ApiFactory(TestHost.ConnectionString, later.ServiceSettings);
        using var client = factory.CreateClient();

        using (var live = await client.GetAsync("/health/live"))
        using (var ready = await client.GetAsync("/health/ready"))
        {
            Assert.That((live.StatusCode, ready.StatusCode), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable)));
        }

        await later.RestartAsync();
        var readyNow = await PollAsync(client, "/health/ready", HttpStatusCode.OK);
        var token = await later.GetTokenAsync(UserScopes.Read);

        Assert.That(readyNow, Is.True, "ready once the provider's keys can be fetched");
        Assert.That(await SendAsync(client, HttpMethod.Get, UsersPath, token), Is.EqualTo(HttpStatusCode.OK));
    }

    // Keys refreshed at most every second (instead of five minutes) so a rotation shows quickly;
    // the clock skew is the default's (30 s).
    private static ApiFactory Secured(IdentityProvider provider, params (string Key, string Value)[] more)
    {
        var settings = provider.ServiceSettings;
        settings["Auth:KeyRefreshSeconds"] = "1";
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return new ApiFactory(TestHost.ConnectionString, settings);
    }

    private static async Task<bool> PollAsync(HttpClient client, string path, HttpStatusCode wanted)
    {
        for (var i = 0; i < 100; i++)
        {
            using var response = await client.GetAsync(path);
            if (response.StatusCode == wanted)
            {
                return true;
            }

            await Task.Delay(200);
        }

        return false;
    }

    private Task<HttpStatusCode> SendAsync(HttpMethod method, string path, string? token, object? body = null) =>
        SendAsync(_client, method, path, token, body);

    private static async Task<HttpStatusCode> SendAsync(HttpClient client, HttpMethod method, string path, string? token, object? body = null)
    {
        using var response = await client.SendAsync(Request(method, path, token, body));
        return response.StatusCode;
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, string? token, object? body = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    /// <summary>A token as the provider would sign it, with one thing changed.</summary>
    private string Sign(
        DateTime? expires = null,
        DateTime? notBefore = null,
        string audience = IdentityProvider.Audience,
        string? issuer = null,
        SecurityKey? key = null,
        string? scope = UserScopes.Read,
        string? subject = "test-client",
        string? client = null,
        string[]? roles = null)
    {
        var claims = new List<Claim>();
        if (subject is not null)
        {
            claims.Add(new Claim("sub", subject));
            claims.Add(new Claim("client_id", client ?? subject));
        }

        if (scope is not null)
        {
            claims.Add(new Claim("scope", scope));
        }

        claims.AddRange((roles ?? []).Select(role => new Claim("roles", role)));
        return _provider.Sign(claims, expires, notBefore, audience, issuer, key);
    }

    private string Unsigned()
    {
        var signed = new JsonWebToken(Sign());
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"at+jwt"}""");
        return $"{header}.{signed.EncodedPayload}.";
    }

    // The payload of a real token with one claim changed: its signature no longer matches.
    private static string Tampered(string token)
    {
        var parts = token.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace(UserScopes.Read, UserScopes.Read + " " + UserScopes.Write, StringComparison.Ordinal);
        return $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";
    }
}
