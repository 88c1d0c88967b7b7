using System.Reflection;
using System.Text.Json;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace BackendService.Api.OpenApi;

/// <summary>
/// What the C# types already say, stated in every object schema: a property that can never be
/// null (a value type, a non-nullable reference, a <c>required</c> member) is required. Lengths,
/// formats and patterns come from the data annotations on the types (Swashbuckle reads those),
/// which quote the same constants the validation uses. For any type: no filter per type.
/// </summary>
internal sealed class ContractSchemaFilter : ISchemaFilter
{
    private readonly NullabilityInfoContext _nullability = new();

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (schema is not OpenApiSchema target || target.Properties is not { Count: > 0 } || context.Type.IsPrimitive)
        {
            return;
        }

        foreach (var property in context.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            if (target.Properties.ContainsKey(name) && NeverNull(property))
            {
                target.Required ??= new HashSet<string>();
                target.Required.Add(name);
            }
        }
    }

    private bool NeverNull(PropertyInfo property)
    {
        if (property.PropertyType.IsValueType)
        {
            return Nullable.GetUnderlyingType(property.PropertyType) is null;
        }

        lock (_nullability)
        {
            return _nullability.Create(property).ReadState == NullabilityState.NotNull;
        }
    }
}
