using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Mvc;

namespace BackendService.Api.Security;

/// <summary>
/// A valid token without the scope a request needs gets a 403 that names the scope, in the
/// body and, as RFC 6750 has it, in <c>WWW-Authenticate</c>. Everything else (401 challenges
/// included) is the framework's: the body then comes from status code pages.
/// </summary>
internal sealed class ScopeForbiddenResponse(IProblemDetailsService problems) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _framework = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<ScopeRequirement>().FirstOrDefault() is { } missing)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            context.Response.Headers.WWWAuthenticate = $"Bearer error=\"insufficient_scope\", scope=\"{missing.Scope}\"";
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status403Forbidden,
                    Detail = $"The token does not grant the scope '{missing.Scope}', which this request needs.",
                },
            });
            return;
        }

        await _framework.HandleAsync(next, context, policy, authorizeResult);
    }
}
