using BackendService.Api.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace BackendService.Api.OpenApi;

/// <summary>
/// The bearer scheme (Swagger UI's Authorize button) on every operation that needs a token, and
/// the scope each one needs, read from the same policy the endpoint enforces.
/// </summary>
internal sealed class BearerSecurityOperationFilter(IOptions<AuthOptions> auth) : IOperationFilter
{
    public const string SchemeName = "bearer";

    public static OpenApiSecurityScheme Scheme { get; } = new()
    {
        Type = SecuritySchemeType.Http,
        Scheme = "bearer",
        BearerFormat = "JWT",
        Description = "An access token from the service's OpenID Connect issuer (Auth__Authority), for the audience Auth__Audience. "
            + $"Scopes: {string.Join("; ", Scopes.Descriptions.Select(scope => $"{scope.Key}: {scope.Value}"))}",
    };

    /// <summary>The issuer's sign-in (OpenID Connect discovery: authorization code with PKCE), beside the bearer scheme, for Swagger UI's Authorize button.</summary>
    public const string SignInSchemeName = "signIn";

    public static OpenApiSecurityScheme SignInScheme(string authority) => new()
    {
        Type = SecuritySchemeType.OpenIdConnect,
        OpenIdConnectUrl = new Uri($"{authority.TrimEnd('/')}/.well-known/openid-configuration"),
        Description = $"Sign in at the service's OpenID Connect issuer (authorization code with PKCE): a signed-in person's token (scopes: {string.Join(", ", Scopes.OwnRecord)}).",
    };

    /// <summary>Whether the document declares the sign-in: authentication on, an issuer, and a client for Swagger UI.</summary>
    public static bool OffersSignIn(AuthOptions auth) =>
        auth is { Enabled: true, Authority.Length: > 0, SwaggerClientId.Length: > 0 };

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var scope = context.ApiDescription.ActionDescriptor.EndpointMetadata
            .OfType<IAuthorizeData>()
            .Select(authorize => authorize.Policy)
            .FirstOrDefault(policy => policy is not null && Scopes.Descriptions.ContainsKey(policy));
        if (scope is null)
        {
            return;
        }

        operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = [] }];
        if (OffersSignIn(auth.Value))
        {
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SignInSchemeName, context.Document)] = [scope] });
        }

        operation.Description = $"{operation.Description}\n\nNeeds a bearer token with the scope `{scope}` (401 without a valid token, 403 without the scope).".TrimStart();
    }
}
