using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace BackendService.Api.OpenApi;

/// <summary>
/// An example body built from a schema: each property's own example (the <c>&lt;example&gt;</c>
/// of its XML doc), nested objects and arrays followed. So an example is written once, on the
/// type, and every operation that reads or returns the type shows it.
/// </summary>
internal static class SchemaExamples
{
    private const int MaxDepth = 8;

    /// <summary>The example, or null when the schema's properties carry none.</summary>
    public static JsonNode? Of(IOpenApiSchema schema, SchemaRepository schemas) => Build(schema, schemas, 0);

    /// <summary>The schema itself, its reference followed.</summary>
    public static IOpenApiSchema? Resolve(IOpenApiSchema schema, SchemaRepository schemas) =>
        schema is OpenApiSchemaReference reference && reference.Reference.Id is { } id
            ? schemas.Schemas.GetValueOrDefault(id)
            : schema;

    private static JsonNode? Build(IOpenApiSchema schema, SchemaRepository schemas, int depth)
    {
        if (depth > MaxDepth || Resolve(schema, schemas) is not { } target)
        {
            return null;
        }

        // Swashbuckle puts an <example> in Example, the OpenAPI 3.0 keyword the document is written in.
#pragma warning disable CS0618
        if ((target.Example ?? target.Examples?.FirstOrDefault()) is { } example)
#pragma warning restore CS0618
        {
            return example.DeepClone();
        }

        if (target.Type is { } type && type.HasFlag(JsonSchemaType.Array) && target.Items is { } items)
        {
            return Build(items, schemas, depth + 1) is { } item ? new JsonArray(item) : null;
        }

        if (target.Properties is not { Count: > 0 } properties)
        {
            return null;
        }

        var built = new JsonObject();
        foreach (var (name, property) in properties)
        {
            if (Build(property, schemas, depth + 1) is { } value)
            {
                built[name] = value;
            }
        }

        return built.Count == 0 ? null : built;
    }
}
