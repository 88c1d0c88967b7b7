using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Npgsql;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace BackendService.Tests.Conventions;

/// <summary>
/// The JSON conventions a new resource relies on, read from the running service's own
/// serializer options and schema generator: enums as names, decimals as the same number on
/// create and on read whatever scale the column gives back.
/// </summary>
public sealed class JsonConventionsTests
{
    public enum Sample
    {
        Pending,
        InTransit,
    }

    private static JsonSerializerOptions ApiJson =>
        TestHost.Factory.Services.GetRequiredService<IOptions<JsonOptions>>().Value.JsonSerializerOptions;

    [Test]
    public void Enums_GoOverTheWireAsTheirNames_AndNumbersAreRefused()
    {
        Assert.That(JsonSerializer.Serialize(Sample.InTransit, ApiJson), Is.EqualTo("\"inTransit\""));
        Assert.That(JsonSerializer.Deserialize<Sample>("\"inTransit\"", ApiJson), Is.EqualTo(Sample.InTransit));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Sample>("1", ApiJson));
    }

    [Test]
    public async Task Decimals_AnswerTheSameOnCreateAndOnRead_WhateverTheColumnsScale()
    {
        // What a create answers (the value as the client sent it) and what a read answers (the
        // value as numeric(10,2) gives it back) must be the same JSON.
        var sent = JsonSerializer.Deserialize<decimal>("12.5", ApiJson);
        await using var connection = new NpgsqlConnection(TestHost.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT $1::numeric(10,2)", connection) { Parameters = { new NpgsqlParameter<decimal> { TypedValue = sent } } };
        var stored = (decimal)(await command.ExecuteScalarAsync())!;

        Assert.That(stored.ToString(System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo("12.50"), "the column's scale, as Npgsql reads it");
        Assert.That(JsonSerializer.Serialize(stored, ApiJson), Is.EqualTo(JsonSerializer.Serialize(sent, ApiJson)));
        Assert.That(JsonSerializer.Serialize(stored, ApiJson), Is.EqualTo("12.5"));
    }

    [TestCase("100.00", "100")]
    [TestCase("0.000001", "0.000001")]
    [TestCase("-7.10", "-7.1")]
    [TestCase("79228162514264337593543950335", "79228162514264337593543950335")]
    public void Decimals_AreWrittenAtTheirSmallestScale(string given, string written)
    {
        var value = decimal.Parse(given, System.Globalization.CultureInfo.InvariantCulture);

        Assert.That(JsonSerializer.Serialize(value, ApiJson), Is.EqualTo(written));
    }

    [Test]
    public void TheDocument_DescribesEnumsAsStringEnums_AndDecimalsAsDecimal()
    {
        var generator = TestHost.Factory.Services.GetRequiredService<ISchemaGenerator>();
        var schemas = new SchemaRepository();

        var enumSchema = generator.GenerateSchema(typeof(Sample), schemas);
        var decimalSchema = generator.GenerateSchema(typeof(decimal), schemas);

        var resolved = enumSchema is OpenApiSchemaReference reference ? schemas.Schemas[reference.Reference.Id!] : enumSchema;
        Assert.That(resolved.Type, Is.EqualTo(JsonSchemaType.String));
        Assert.That(resolved.Enum!.Select(value => value.ToString()), Is.EqualTo(new[] { "pending", "inTransit" }));
        Assert.That((decimalSchema.Type, decimalSchema.Format), Is.EqualTo((JsonSchemaType.Number, "decimal")));
    }
}
