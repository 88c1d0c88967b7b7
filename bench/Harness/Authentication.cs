using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

/// <summary>
/// What authentication costs: GET by id with an RS256 bearer token on the service with
/// authentication on (token cache on, then off), taking turns with the service as the main
/// run measured it (authentication off). The difference in CPU per request is the price.
/// </summary>
internal static class Authentication
{
    public static async Task<Dictionary<string, Measurement>> MeasureAsync(Dictionary<string, ServerProcess> servers, Endpoint getById, HarnessOptions options)
    {
        using var issuer = BenchIssuer.Start();
        var token = issuer.Token();
        var secured = new Dictionary<string, ServerProcess>();
        try
        {
            foreach (var (name, cacheSize) in new[] { ("auth", "4096"), ("auth-nocache", "0") })
            {
                var service = Target.Service(options);
                var environment = new Dictionary<string, string>(service.Environment)
                {
                    ["Auth__Enabled"] = "true",
                    ["Auth__Authority"] = issuer.Url,
                    ["Auth__Audience"] = BenchIssuer.Audience,
                    ["Auth__RequireHttpsMetadata"] = "false",
                    ["Auth__TokenCacheSize"] = cacheSize,
                };
                secured[name] = await ServerProcess.StartAsync(service with { Name = name, Environment = environment }, options);
                if (options.Warmup > 0)
                {
                    await secured[name].MeasureAsync(getById, options, options.Warmup, token);
                }
            }

            var sides = new List<(string Name, ServerProcess Server, string? Token)> { ("no-auth", servers["service"], null) };
            sides.AddRange(secured.Select(s => (s.Key, s.Value, (string?)token)));
            var runs = sides.ToDictionary(s => s.Name, _ => new List<Measurement>());
            for (var i = 0; i < options.Repeats; i++)
            {
                foreach (var (name, server, bearer) in sides)
                {
                    runs[name].Add(await server.MeasureAsync(getById, options, token: bearer));
                }
            }

            return runs.ToDictionary(r => r.Key, r => Measurement.Median(r.Value));
        }
        finally
        {
            foreach (var server in secured.Values)
            {
                await server.DisposeAsync();
            }
        }
    }
}

/// <summary>
/// A minimal OpenID Connect issuer on loopback: a discovery document, one RSA key, and an
/// access token for both scopes signed with it, as a real issuer would sign one.
/// </summary>
internal sealed class BenchIssuer : IDisposable
{
    public const string Audience = "api://backendservice-bench";
    private const string KeyId = "bench-key";

    private readonly HttpListener _listener = new();
    private readonly RSA _key = RSA.Create(2048);

    private BenchIssuer(int port)
    {
        Url = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add($"{Url}/");
    }

    public string Url { get; }

    public static BenchIssuer Start()
    {
        var issuer = new BenchIssuer(ServerProcess.FreePort());
        issuer._listener.Start();
        _ = Task.Run(issuer.ServeAsync);
        return issuer;
    }

    public string Token()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Encode(new Dictionary<string, object> { ["alg"] = "RS256", ["typ"] = "at+jwt", ["kid"] = KeyId });
        var payload = Encode(new Dictionary<string, object>
        {
            ["iss"] = Url,
            ["aud"] = Audience,
            ["sub"] = "bench-client",
            ["client_id"] = "bench-client",
            ["scope"] = "users:read users:write",
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + 3600,
        });
        var signature = _key.SignData(Encoding.ASCII.GetBytes($"{header}.{payload}"), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{header}.{payload}.{Base64Url(signature)}";
    }

    public void Dispose()
    {
        _listener.Close();
        _key.Dispose();
    }

    private async Task ServeAsync()
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

            var parameters = _key.ExportParameters(includePrivateParameters: false);
            object? document = context.Request.Url?.AbsolutePath switch
            {
                "/.well-known/openid-configuration" => new Dictionary<string, object>
                {
                    ["issuer"] = Url,
                    ["jwks_uri"] = $"{Url}/jwks",
                    ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
                },
                "/jwks" => new Dictionary<string, object>
                {
                    ["keys"] = new[]
                    {
                        new Dictionary<string, string>
                        {
                            ["kty"] = "RSA",
                            ["use"] = "sig",
                            ["alg"] = "RS256",
                            ["kid"] = KeyId,
                            ["n"] = Base64Url(parameters.Modulus!),
                            ["e"] = Base64Url(parameters.Exponent!),
                        },
                    },
                },
                _ => null,
            };
            context.Response.StatusCode = document is null ? 404 : 200;
            if (document is not null)
            {
                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(document));
            }

            context.Response.Close();
        }
    }

    private static string Encode(Dictionary<string, object> json) => Base64Url(JsonSerializer.SerializeToUtf8Bytes(json));

    private static string Base64Url(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
