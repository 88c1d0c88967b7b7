using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using BackendService.Api.Security;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BackendService.Tests.Support;

/// <summary>
/// A real OpenID Connect provider (scripts/identity-provider, panva's oidc-provider on Node) on
/// 127.0.0.1: discovery, JWKS, client credentials, sign-in of end users (authorization code with
/// PKCE), RS256 JWT access tokens, for the scopes the API declares. The test owns the signing
/// keys and the end users, so it can also sign tokens the provider would never issue (expired,
/// wrong audience…) and rotate the provider's key by restarting it with a new one first.
/// </summary>
internal sealed class IdentityProvider : IAsyncDisposable
{
    public const string Audience = "api://backendservice";
    private const string ClientId = "backendservice-dev";
    private const string ClientSecret = "backendservice-dev-secret";

    /// <summary>The end users who may sign in (their subject is the login), all with <see cref="EndUserPassword"/>.</summary>
    public static readonly string[] EndUsers = ["alice", "bob"];

    public const string EndUserPassword = "correct horse battery staple";

    /// <summary>The public client people sign in with (Swagger UI's), as the service is told by <see cref="ServiceSettings"/>.</summary>
    public const string SignInClientId = "backendservice-swagger";

    private readonly string _directory = Directory.CreateTempSubdirectory("idp-").FullName;
    private readonly List<RsaSecurityKey> _keys = [NewKey()];
    private BackgroundProcess? _process;

    private IdentityProvider(int port) => Port = port;

    public int Port { get; }

    public string Issuer => $"http://127.0.0.1:{Port}";

    /// <summary>The key the provider signs with now.</summary>
    public RsaSecurityKey SigningKey => _keys[0];

    /// <summary>Settings that point the service at this provider.</summary>
    public Dictionary<string, string?> ServiceSettings => new()
    {
        ["Auth:Enabled"] = "true",
        ["Auth:Authority"] = Issuer,
        ["Auth:Audience"] = Audience,
        ["Auth:RequireHttpsMetadata"] = "false",
        ["Auth:SwaggerClientId"] = SignInClientId,
    };

    /// <summary>A provider on <paramref name="port"/> (a free one by default); <paramref name="start"/> false only reserves the port.</summary>
    public static async Task<IdentityProvider> StartAsync(int? port = null, bool start = true)
    {
        var provider = new IdentityProvider(port ?? ExternalProcess.FreeLoopbackPort());
        if (start)
        {
            await provider.RestartAsync();
        }

        return provider;
    }

    /// <summary>A new signing key, published with the old one, as a provider rotates: restarted, same port.</summary>
    public async Task RotateKeyAsync()
    {
        _keys.Insert(0, NewKey());
        await RestartAsync();
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        await File.WriteAllTextAsync(Path.Combine(_directory, "jwks.json"), JsonSerializer.Serialize(new { keys = _keys.Select(ToPrivateJwk) }));
        var script = Path.Combine(await InstalledAsync(), "provider.mjs");
        string[] arguments =
        [
            script, "--port", Port.ToString(CultureInfo.InvariantCulture), "--jwks", Path.Combine(_directory, "jwks.json"), "--audience", Audience,
            "--scopes", string.Join(' ', Scopes.Descriptions.Keys), "--sign-in-client-id", SignInClientId,
            .. EndUsers.SelectMany(user => new[] { "--user", $"{user}:{EndUserPassword}" }),
        ];
        _process = BackgroundProcess.Start("node", arguments);
        await _process.WaitForPortAsync(Port, TimeSpan.FromSeconds(30));
    }

    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }

    /// <summary>An access token from the token endpoint (client credentials) for <paramref name="scope"/>.</summary>
    public async Task<string> GetTokenAsync(string scope)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Issuer}/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = scope }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes($"{ClientId}:{ClientSecret}")));
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return response.IsSuccessStatusCode
            ? body.GetProperty("access_token").GetString()!
            : throw new InvalidOperationException($"token endpoint answered {(int)response.StatusCode}: {body}");
    }

    /// <summary>
    /// An end user's access token, as a browser app gets it: <paramref name="login"/> signs in at
    /// the provider's login page (authorization code with PKCE, the public client; scripts/identity-provider/sign-in.mjs,
    /// which scripts/idp.sh token --user runs too).
    /// </summary>
    public async Task<string> SignInAsync(string login, string scope, string password = EndUserPassword)
    {
        var script = Path.Combine(await InstalledAsync(), "sign-in.mjs");
        var result = await ExternalProcess.RunAsync("node", [script, "--issuer", Issuer, "--user", login, "--password", password, "--scope", scope, "--client-id", SignInClientId]);
        return result.ExitCode == 0
            ? result.Output.Trim()
            : throw new InvalidOperationException($"sign-in as {login} failed: {result.AllOutput}");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>A token with <paramref name="claims"/>, as the provider would sign it unless told otherwise (its key, issuer and the API's audience; valid for ten minutes).</summary>
    public string Sign(
        IEnumerable<Claim> claims,
        DateTime? expires = null,
        DateTime? notBefore = null,
        string audience = Audience,
        string? issuer = null,
        SecurityKey? key = null)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = (notBefore ?? now).AddMinutes(-1),
            NotBefore = notBefore ?? now.AddMinutes(-1),
            Expires = expires ?? now.AddMinutes(10),
            TokenType = "at+jwt",
            SigningCredentials = new SigningCredentials(key ?? SigningKey, SecurityAlgorithms.RsaSha256),
        });
    }

    public static RsaSecurityKey NewKey() => new(RSA.Create(2048)) { KeyId = Guid.NewGuid().ToString("N") };

    private static Task<string> InstalledAsync() =>
        ExternalProcess.NpmFolderAsync(Path.Combine("scripts", "identity-provider"), Path.Combine("node_modules", "oidc-provider"));

    private static Dictionary<string, string> ToPrivateJwk(RsaSecurityKey key)
    {
        var p = key.Rsa.ExportParameters(includePrivateParameters: true);
        return new Dictionary<string, string>
        {
            ["kty"] = "RSA",
            ["kid"] = key.KeyId,
            ["alg"] = "RS256",
            ["use"] = "sig",
            ["n"] = Base64UrlEncoder.Encode(p.Modulus),
            ["e"] = Base64UrlEncoder.Encode(p.Exponent),
            ["d"] = Base64UrlEncoder.Encode(p.D),
            ["p"] = Base64UrlEncoder.Encode(p.P),
            ["q"] = Base64UrlEncoder.Encode(p.Q),
            ["dp"] = Base64UrlEncoder.Encode(p.DP),
            ["dq"] = Base64UrlEncoder.Encode(p.DQ),
            ["qi"] = Base64UrlEncoder.Encode(p.InverseQ),
        };
    }
}
