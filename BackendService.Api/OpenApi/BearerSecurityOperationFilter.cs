using BackendService.Api.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace BackendService.Api.OpenApi;

/// <summary>
/// The bearer scheme (Swagger UI's Authorize button) on every operation that needs a token, and
/// the scope each one needs, read from the same policy the endpoint enforces.
/// </summary>
internal sealed class BearerSecurityOperationFilter : IOperationFilter
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
        operation.Description = $"{operation.Description}\n\nNeeds a bearer token with the scope `{scope}` (401 without a valid token, 403 without the scope).".TrimStart();
    }
}
