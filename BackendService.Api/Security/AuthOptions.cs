using System.ComponentModel.DataAnnotations;

namespace BackendService.Api.Security;

/// <summary>
/// Who may call the API: bearer tokens from an OpenID Connect issuer. On by default in every
/// environment; a process with no issuer configured refuses to start unless
/// <c>Auth__Enabled=false</c> says the API is meant to be open (integration-test environments).
/// </summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    public bool Enabled { get; set; } = true;

    /// <summary>The issuer's URL; its discovery document names the signing keys (JWKS).</summary>
    public string? Authority { get; set; }

    /// <summary>The <c>aud</c> a token must carry: this API's identifier at the issuer.</summary>
    public string? Audience { get; set; }

    /// <summary>Discovery and keys over HTTPS only; <c>false</c> allows plain HTTP for local issuers.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>How far the token's exp and nbf may be off the service's clock: a token expired longer ago than this is refused.</summary>
    [Range(0, 300, ErrorMessage = "Auth:ClockSkewSeconds must be between 0 and 300.")]
    public int ClockSkewSeconds { get; set; } = 30;

    /// <summary>
    /// The public client (authorization code with PKCE, no secret) Swagger UI signs end users in
    /// with, at the issuer's own login page; unset, Swagger UI offers no sign-in (tokens are pasted).
    /// </summary>
    public string? SwaggerClientId { get; set; }

    /// <summary>
    /// The signing algorithms a token may use; unset, the asymmetric ones (<see cref="AsymmetricAlgorithms"/>).
    /// Only asymmetric algorithms are accepted: a shared-secret (HS*) token could be minted by anyone who holds the secret.
    /// </summary>
    public string[]? Algorithms { get; set; }

    public static IReadOnlyList<string> AsymmetricAlgorithms { get; } = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"];

    /// <summary>The algorithms in force: <see cref="Algorithms"/>, or every asymmetric one.</summary>
    public IReadOnlyList<string> AcceptedAlgorithms => Algorithms is { Length: > 0 } configured ? configured : AsymmetricAlgorithms;

    /// <summary>
    /// A token signed with a key the service does not know makes it fetch the issuer's keys
    /// again, at most this often: how soon a key rotation is picked up, without a restart.
    /// </summary>
    [Range(1, int.MaxValue, ErrorMessage = "Auth:KeyRefreshSeconds must be at least 1.")]
    public int KeyRefreshSeconds { get; set; } = 300;

    /// <summary>
    /// How many validated tokens are remembered until their exp, so a repeated token skips the
    /// signature check; 0 checks every token every time.
    /// </summary>
    [Range(0, 1_000_000, ErrorMessage = "Auth:TokenCacheSize must be between 0 and 1000000.")]
    public int TokenCacheSize { get; set; } = 4096;
}
