using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BackendService.Tests.Support;

/// <summary>
/// A real OpenID Connect provider (scripts/identity-provider, panva's oidc-provider on Node) on
/// 127.0.0.1: discovery, JWKS, client credentials, RS256 JWT access tokens. The test owns the
/// signing keys, so it can also sign tokens the provider would never issue (expired, wrong
/// audience…) and rotate the provider's key by restarting it with a new one first.
/// </summary>
internal sealed class IdentityProvider : IAsyncDisposable
{
    public const string Audience = "api://backendservice";
    private const string ClientId = "backendservice-dev";
    private const string ClientSecret = "backendservice-dev-secret";

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
        _process = BackgroundProcess.Start("node", [script, "--port", Port.ToString(CultureInfo.InvariantCulture), "--jwks", Path.Combine(_directory, "jwks.json"), "--audience", Audience]);
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

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>
    /// An access token as the provider signs it for a person (an authorization-code login): its
    /// subject is <paramref name="subject"/>, issued to <paramref name="client"/>.
    /// </summary>
    public string SignFor(string subject, string scope, string client = "backendservice-spa") =>
        Sign([new Claim("sub", subject), new Claim("client_id", client), new Claim("scope", scope)]);

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

    // npm ci once per machine (scripts/test.sh does it up front; a bare dotnet test does it here).
    private static async Task<string> InstalledAsync()
    {
        var directory = Path.Combine(TestDatabase.RepositoryRoot(), "scripts", "identity-provider");
        if (!Directory.Exists(Path.Combine(directory, "node_modules", "oidc-provider")))
        {
            var result = await ExternalProcess.RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], workingDirectory: directory);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"npm ci in {directory} failed: {result.AllOutput}");
            }
        }

        return directory;
    }

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
