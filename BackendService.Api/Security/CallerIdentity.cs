using BackendService.Domain.Errors;
using BackendService.Domain.Users;

namespace BackendService.Api.Security;

/// <summary>Who a request's token speaks for, as its claims say; every field null for an anonymous request (or with authentication off).</summary>
/// <param name="Issuer">The token's <c>iss</c>.</param>
/// <param name="Client">The OAuth client it was issued to: <c>azp</c> (OpenID Connect, Entra), else <c>client_id</c> (RFC 9068).</param>
/// <param name="Subject">The person (or, for a client-credentials token, the client) it speaks for: <c>sub</c>.</param>
internal readonly record struct Caller(string? Issuer, string? Client, string? Subject)
{
    /// <summary>The client, else the subject: what the request log, the rate limit and the idempotency keys tell callers apart by.</summary>
    public string? Name => Client ?? Subject;
}

/// <summary>The one place the caller's claims are read.</summary>
internal static class CallerIdentity
{
    public static Caller Read(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var claims = http.User;
        return new Caller(
            claims.FindFirst("iss")?.Value,
            (claims.FindFirst("azp") ?? claims.FindFirst("client_id"))?.Value,
            claims.FindFirst("sub")?.Value);
    }

    /// <summary>The person a token speaks for: its issuer and subject. What a user record at /me is bound to.</summary>
    public static UserIdentity Of(HttpContext http) =>
        Read(http) is { Issuer: { Length: > 0 } issuer, Subject: { Length: > 0 } subject }
            ? new UserIdentity(issuer, subject)
            : throw new ForbiddenException("Your own record needs a token that names you (its iss and sub claims).");
}
