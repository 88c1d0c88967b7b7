using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace BackendService.Api.Serialization;

/// <summary>
/// How values a resource will need go over the wire, set once for the whole API (not by
/// attributes on Domain types), and documented as they are sent: enums as their names (a string
/// enum in the schema), decimals as the number they are without trailing zeros, so a create
/// answers what a later read answers whatever scale the column gives back (12.5, never 12.50).
/// </summary>
internal static class JsonConventions
{
    public static void Apply(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.Converters.Add(new NormalizedDecimalConverter());
    }

    /// <summary>Swashbuckle reads the enum converter from the MVC JSON options itself; decimal needs saying (it would be a double).</summary>
    public static void Document(SwaggerGenOptions swagger)
    {
        swagger.MapType<decimal>(() => new OpenApiSchema { Type = JsonSchemaType.Number, Format = "decimal" });
        swagger.MapType<decimal?>(() => new OpenApiSchema { Type = JsonSchemaType.Number | JsonSchemaType.Null, Format = "decimal" });
    }

    /// <summary>Writes a decimal at its smallest scale (12.50 as 12.5); reads any JSON number that fits.</summary>
    internal sealed class NormalizedDecimalConverter : JsonConverter<decimal>
    {
        // Dividing by one with the largest scale decimal holds leaves the value at its smallest scale.
        private const decimal One = 1.0000000000000000000000000000m;

        public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDecimal();

        public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options)
        {
            ArgumentNullException.ThrowIfNull(writer);
            writer.WriteNumberValue(value / One);
        }
    }
}
