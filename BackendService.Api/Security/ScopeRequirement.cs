using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace BackendService.Api.Security;

/// <summary>
/// The token must grant <see cref="Scope"/>: in <c>scope</c> (space-separated, RFC 8693), <c>scp</c>
/// (Microsoft Entra delegated permissions) or <c>roles</c> (Entra application permissions, which
/// an app-only client-credentials token carries, one claim per role).
/// </summary>
internal sealed class ScopeRequirement(string scope) : AuthorizationHandler<ScopeRequirement>, IAuthorizationRequirement
{
    public string Scope { get; } = scope;

    public static bool Grants(ClaimsPrincipal user, string scope) =>
        user.Claims
            .Where(claim => claim.Type is "scope" or "scp" or "roles")
            .SelectMany(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Contains(scope, StringComparer.Ordinal);

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        if (Grants(context.User, requirement.Scope))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
