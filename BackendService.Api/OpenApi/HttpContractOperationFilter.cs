using System.Globalization;
using System.Text.Json.Nodes;
using BackendService.Api.Errors;
using BackendService.Api.Http;
using BackendService.Api.Idempotency;
using BackendService.Application.Idempotency;
using BackendService.Application.Paging;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace BackendService.Api.OpenApi;

/// <summary>
/// Adds to each operation what attributes cannot say, from what the action declares it is
/// (<see cref="IdempotentAttribute"/>, <see cref="PagedListAttribute"/>,
/// <see cref="ConditionalGetAttribute"/>, <see cref="ConditionalUpdateAttribute"/>): the
/// conditional headers (ETag, If-Match, If-None-Match, Link, Location, Retry-After), the bounds
/// of limit and cursor, the Idempotency-Key; the operational statuses every endpoint can return
/// (429, 503, 504); a description for each standard status the action does not describe itself;
/// and examples: bodies from their schema's property examples, problems with the operation's own
/// path as <c>instance</c> and its response's description as <c>detail</c>. Names no resource.
/// </summary>
internal sealed partial class HttpContractOperationFilter : IOperationFilter
{
    private const string ProblemJson = "application/problem+json";

    /// <summary>Stands in for a path parameter in the examples' <c>instance</c>.</summary>
    private const string ExampleId = "0195f3c2-7b4e-7a51-9f1e-3c2a1b0d4e5f";

    private static readonly Dictionary<string, string> StandardDescriptions = new()
    {
        ["304"] = "If-None-Match named the current ETag: the client's copy is current (no body).",
        ["400"] = "The request breaks a rule: a malformed body or value, an unknown property, a value out of range. Every broken rule is listed under errors.",
        ["401"] = "No valid bearer token was sent; WWW-Authenticate says what was wrong with the one sent.",
        ["403"] = "The token does not carry the scope this operation needs.",
        ["404"] = "There is nothing with this id.",
        ["409"] = "The request conflicts with the current state.",
        ["412"] = "If-Match was given and the resource has changed since: nothing was changed.",
        ["413"] = "The body is larger than the limit.",
        ["415"] = "The body is not application/json.",
        ["422"] = $"This {IdempotencyKey.Header} was used before with a different request.",
        ["500"] = "An unexpected fault. The body says nothing about it; the log has it, under the traceId.",
    };

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        bool Is<TAttribute>() => metadata.OfType<TAttribute>().Any();
        operation.Responses ??= [];

        Header(operation, "201", "Location", "The URL of the new resource.");
        Header(operation, "201", "ETag", "The strong entity tag of the new resource's version, for If-Match.");
        if (Is<IdempotentAttribute>())
        {
            Header(operation, "201", IdempotencyFilter.ReplayedHeader, "true when this is the stored answer to an earlier request with the same Idempotency-Key.");
            HeaderParameter(operation, IdempotencyKey.Header, IdempotencyKeyDescription, maxLength: IdempotencyKey.MaxLength);
            if (operation.Responses.TryGetValue("409", out var found) && found is OpenApiResponse conflict)
            {
                conflict.Description = $"{Describe(conflict, "409")} Also: a request with the same {IdempotencyKey.Header} is still being processed (Retry-After says when to ask again).";
            }
        }

        if (Is<ConditionalGetAttribute>())
        {
            Header(operation, "200", "ETag", "The strong entity tag of the current version, for If-Match and If-None-Match.");
            Header(operation, "304", "ETag", "The current entity tag (unchanged).");
            HeaderParameter(operation, "If-None-Match", "An ETag from an earlier read; when it is still current the answer is 304 without a body.");
        }

        if (Is<ConditionalUpdateAttribute>())
        {
            Header(operation, "200", "ETag", "The strong entity tag of the new version.");
            HeaderParameter(operation, "If-Match", "The ETag you read; when the resource has changed since, the answer is 412 and nothing changes. Omit for last-write-wins.");
        }

        if (Is<PagedListAttribute>())
        {
            Header(operation, "200", "Link", "RFC 8288 link to the next page, <...>; rel=\"next\"; absent on the last page.");
            Bounds(operation);
        }

        ProblemResponse(operation, "429", "Too many requests from this client (only when rate limiting is on); Retry-After says when to retry.", retryAfter: true);
        ProblemResponse(operation, "503", "The database is unavailable; Retry-After says when to retry.", retryAfter: true);
        ProblemResponse(operation, "504", "The request took longer than the request timeout and was cancelled.", retryAfter: false);

        var instance = "/" + Placeholder().Replace(context.ApiDescription.RelativePath ?? string.Empty, ExampleId);
        var requestSchema = RequestSchema(operation);
        if (requestSchema is not null && SchemaExamples.Of(requestSchema, context.SchemaRepository) is { } requestExample)
        {
            foreach (var content in operation.RequestBody!.Content!.Values.OfType<OpenApiMediaType>())
            {
                content.Example ??= requestExample;
            }
        }

        foreach (var (status, response) in operation.Responses)
        {
            if (response is not OpenApiResponse target)
            {
                continue;
            }

            target.Description = Describe(target, status);
            foreach (var (mediaType, content) in target.Content ?? new Dictionary<string, IOpenApiMediaType>())
            {
                if (content is not OpenApiMediaType media)
                {
                    continue;
                }

                media.Example ??= mediaType == ProblemJson
                    ? ProblemExample(int.Parse(status, CultureInfo.InvariantCulture), target.Description!, instance, operation, requestSchema, context.SchemaRepository)
                    : media.Schema is null ? null : SchemaExamples.Of(media.Schema, context.SchemaRepository);
            }
        }
    }

    /// <summary>The action's own description; a standard one where it gave none (the framework's default is the bare reason phrase).</summary>
    private static string? Describe(OpenApiResponse response, string status)
    {
        var isDefault = string.IsNullOrEmpty(response.Description)
            || response.Description == ReasonPhrases.GetReasonPhrase(int.Parse(status, CultureInfo.InvariantCulture));
        return isDefault && StandardDescriptions.TryGetValue(status, out var standard) ? standard : response.Description;
    }

    private static IOpenApiSchema? RequestSchema(OpenApiOperation operation) =>
        operation.RequestBody?.Content?.Values.OfType<OpenApiMediaType>().Select(content => content.Schema).FirstOrDefault(schema => schema is not null);

    private static JsonObject ProblemExample(int status, string description, string instance, OpenApiOperation operation, IOpenApiSchema? requestSchema, SchemaRepository schemas)
    {
        var problem = new JsonObject
        {
            ["type"] = ProblemDefaults.TypeFor(status),
            ["title"] = status == 400 ? "One or more validation errors occurred." : ReasonPhrases.GetReasonPhrase(status),
            ["status"] = status,
        };
        if (status == 400)
        {
            problem["errors"] = ValidationErrorsExample(operation, requestSchema, schemas);
        }
        else
        {
            problem["detail"] = description;
        }

        problem["instance"] = instance;
        problem["traceId"] = "4bf92f3577b34da6a3ce929d0e0e4736";
        return problem;
    }

    /// <summary>What a client that sent nothing gets: the body's required members, or else the operation's first parameter.</summary>
    private static JsonObject ValidationErrorsExample(OpenApiOperation operation, IOpenApiSchema? requestSchema, SchemaRepository schemas)
    {
        var errors = new JsonObject();
        if (requestSchema is not null && SchemaExamples.Resolve(requestSchema, schemas) is { Required: { Count: > 0 } required })
        {
            foreach (var member in required)
            {
                errors[member] = new JsonArray($"{char.ToUpperInvariant(member[0])}{member[1..]} is required.");
            }
        }
        else if (operation.Parameters?.FirstOrDefault() is { Name: { } name })
        {
            errors[name] = new JsonArray("The value is not valid.");
        }

        return errors;
    }

    private static void Header(OpenApiOperation operation, string status, string name, string description)
    {
        if (operation.Responses!.TryGetValue(status, out var response) && response is OpenApiResponse target)
        {
            target.Headers ??= new Dictionary<string, IOpenApiHeader>();
            target.Headers[name] = new OpenApiHeader { Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
        }
    }

    private const string IdempotencyKeyDescription =
        "Makes a retry safe: a client-chosen key (1-255 printable ASCII characters, a UUID say), scoped to the caller and remembered for 24 h. " +
        "The same key with the same request (method, path, body bytes) gets the first answer again, byte for byte, with Idempotent-Replayed: true, " +
        "and writes nothing; with a different request, 422; while the first is being stored, 409 with Retry-After " +
        "(two that race before either is stored: one is, the other gets its answer replayed). " +
        "Answers 400 and 409 are kept too; 5xx are not (the retry is processed anew).";

    private static void HeaderParameter(OpenApiOperation operation, string name, string description, int? maxLength = null)
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = name,
            In = ParameterLocation.Header,
            Required = false,
            Description = description,
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = maxLength, MinLength = maxLength is null ? null : 1 },
        });
    }

    private static void Bounds(OpenApiOperation operation)
    {
        foreach (var parameter in operation.Parameters ?? [])
        {
            if (parameter is not OpenApiParameter target || target.Schema is not OpenApiSchema schema)
            {
                continue;
            }

            if (target.Name == "limit")
            {
                schema.Minimum = PageSize.Min.ToString(CultureInfo.InvariantCulture);
                schema.Maximum = PageSize.Max.ToString(CultureInfo.InvariantCulture);
                schema.Default = JsonValue.Create(PageSize.Default);
            }
            else if (target.Name == "cursor")
            {
                schema.Pattern = "^[A-Za-z0-9_-]+$";
                target.Description = "Opaque; copy it from the previous page's Link header. An edited cursor, or one from another listing, is a 400.";
            }
        }
    }

    private static void ProblemResponse(OpenApiOperation operation, string status, string description, bool retryAfter)
    {
        if (operation.Responses!.ContainsKey(status))
        {
            return;
        }

        var response = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, IOpenApiMediaType>
            {
                [ProblemJson] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(nameof(Microsoft.AspNetCore.Mvc.ProblemDetails)) },
            },
        };
        if (retryAfter)
        {
            response.Headers = new Dictionary<string, IOpenApiHeader>
            {
                ["Retry-After"] = new OpenApiHeader { Description = "Seconds to wait before retrying.", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer } },
            };
        }

        operation.Responses![status] = response;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\{[^}]+\}")]
    private static partial System.Text.RegularExpressions.Regex Placeholder();
}
