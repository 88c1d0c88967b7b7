using System.Security.Claims;
using BackendService.Domain.Errors;
using BackendService.Domain.Users;

namespace BackendService.Api.Security;

/// <summary>The person a token speaks for: its issuer and subject. What a user record at /me is bound to.</summary>
internal static class CallerIdentity
{
    public static UserIdentity Of(ClaimsPrincipal caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.FindFirst("iss")?.Value is { Length: > 0 } issuer && caller.FindFirst("sub")?.Value is { Length: > 0 } subject
            ? new UserIdentity(issuer, subject)
            : throw new ForbiddenException("Your own record needs a token that names you (its iss and sub claims).");
    }
}
