using BackendService.Application.Users;
using BackendService.Domain.Users;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace BackendService.Api.OpenApi;

/// <summary>
/// States on every user property what the contract guarantees: which are required, which can
/// never be null, their formats and their length limits (from <see cref="UserConstraints"/>,
/// the same constants the validator and the columns use). The request records keep nullable
/// properties only so that a missing field becomes a friendly 400; on the wire both are required.
/// </summary>
internal sealed class UserSchemaFilter : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema target || target.Properties is null)
        {
            return;
        }

        if (context.Type == typeof(UserResponse))
        {
            Describe(target, "id", JsonSchemaType.String, "uuid");
            Describe(target, "email", JsonSchemaType.String, "email", maxLength: UserConstraints.EmailMaxLength);
            Describe(target, "name", JsonSchemaType.String, maxLength: UserConstraints.NameMaxLength, minLength: UserConstraints.NameMinLength);
            Describe(target, "createdAt", JsonSchemaType.String, "date-time");
            Describe(target, "updatedAt", JsonSchemaType.String, "date-time");
        }
        else if (context.Type == typeof(CreateUserRequest) || context.Type == typeof(UpdateUserRequest))
        {
            Describe(target, "email", JsonSchemaType.String, "email", maxLength: UserConstraints.EmailMaxLength);
            Describe(target, "name", JsonSchemaType.String, maxLength: UserConstraints.NameMaxLength, minLength: UserConstraints.NameMinLength);

            // Unknown properties are rejected with 400 (a typo like "emial" is caught).
            target.AdditionalPropertiesAllowed = false;
        }
    }

    private static void Describe(OpenApiSchema schema, string name, JsonSchemaType type, string? format = null, int? maxLength = null, int? minLength = null)
    {
        if (!schema.Properties!.TryGetValue(name, out var property) || property is not OpenApiSchema target)
        {
            return;
        }

        target.Type = type;
        target.Format = format ?? target.Format;
        target.MaxLength = maxLength ?? target.MaxLength;
        target.MinLength = minLength ?? target.MinLength;
        schema.Required ??= new HashSet<string>();
        schema.Required.Add(name);
    }
}
