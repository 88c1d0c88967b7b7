using System.Globalization;
using System.Text.Json.Nodes;
using BackendService.Api.Errors;
using BackendService.Api.Idempotency;
using BackendService.Application.Idempotency;
using BackendService.Application.Paging;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace BackendService.Api.OpenApi;

/// <summary>
/// Adds to each operation what attributes cannot say: the conditional headers (ETag,
/// If-Match, If-None-Match, Link, Location, Retry-After), the bounds of limit and cursor,
/// the Idempotency-Key of a create, the operational statuses every endpoint can return
/// (429, 503, 504), and examples of a
/// user, a validation problem and a conflict.
/// </summary>
internal sealed class HttpContractOperationFilter : IOperationFilter
{
    private const string ProblemJson = "application/problem+json";

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var action = context.ApiDescription.ActionDescriptor.RouteValues["action"];
        operation.Responses ??= [];

        switch (action)
        {
            case "Create":
                Header(operation, "201", "Location", "The new user's URL, /api/v1/users/{id}.");
                Header(operation, "201", "ETag", "The strong entity tag of the new user's version, for If-Match.");
                Header(operation, "201", IdempotencyFilter.ReplayedHeader, "true when this is the stored answer to an earlier request with the same Idempotency-Key.");
                HeaderParameter(operation, IdempotencyKey.Header, IdempotencyKeyDescription, maxLength: IdempotencyKey.MaxLength);
                ProblemResponse(operation, "422", $"This {IdempotencyKey.Header} was used before with a different request.", retryAfter: false);
                if (operation.Responses!.TryGetValue("409", out var found) && found is OpenApiResponse conflict)
                {
                    conflict.Description += $" Also: a request with the same {IdempotencyKey.Header} is still being processed (Retry-After says when to ask again).";
                }

                RequestExample(operation, Examples.NewUser());
                break;
            case "Get":
                Header(operation, "200", "ETag", "The strong entity tag of the user's current version, for If-Match and If-None-Match.");
                Header(operation, "304", "ETag", "The current entity tag (unchanged).");
                HeaderParameter(operation, "If-None-Match", "An ETag from an earlier read; when it is still current the answer is 304 without a body.");
                break;
            case "List":
                Header(operation, "200", "Link", "RFC 8288 link to the next page, <...>; rel=\"next\"; absent on the last page.");
                Bounds(operation);
                break;
            case "Update":
                Header(operation, "200", "ETag", "The strong entity tag of the user's new version.");
                HeaderParameter(operation, "If-Match", "The ETag you read; when the user has changed since, the answer is 412 and nothing changes. Omit for last-write-wins.");
                RequestExample(operation, Examples.NewUser());
                break;
        }

        ProblemResponse(operation, "429", "Too many requests from this client (only when rate limiting is on); Retry-After says when to retry.", retryAfter: true);
        ProblemResponse(operation, "503", "The database is unavailable; Retry-After says when to retry.", retryAfter: true);
        ProblemResponse(operation, "504", "The request took longer than the request timeout and was cancelled.", retryAfter: false);

        foreach (var (status, response) in operation.Responses)
        {
            if (response is not OpenApiResponse target || target.Content is null)
            {
                continue;
            }

            foreach (var (mediaType, content) in target.Content)
            {
                if (content is not OpenApiMediaType media)
                {
                    continue;
                }

                media.Example ??= (status, mediaType) switch
                {
                    ("200" or "201", "application/json") when action == "List" => new JsonArray(Examples.User()),
                    ("200" or "201", "application/json") => Examples.User(),
                    ("400", ProblemJson) => Examples.ValidationProblem(),
                    ("409", ProblemJson) => Examples.Problem(409, "Conflict", ProblemDefaults.TypeFor(409), "A user with this email address already exists."),
                    ("404", ProblemJson) => Examples.Problem(404, "Not Found", ProblemDefaults.TypeFor(404), "User 0195f3c2-7b4e-7a51-9f1e-3c2a1b0d4e5f was not found."),
                    ("412", ProblemJson) => Examples.Problem(412, "Precondition Failed", ProblemDefaults.TypeFor(412), "The user has changed since the given If-Match version. Fetch it again and retry with the new ETag."),
                    _ => null,
                };
            }
        }
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
                target.Description = "Opaque; copy it from the previous page's Link header. An edited cursor is a 400.";
            }
        }
    }

    private static void RequestExample(OpenApiOperation operation, JsonNode example)
    {
        if (operation.RequestBody is OpenApiRequestBody body && body.Content is not null)
        {
            foreach (var content in body.Content.Values.OfType<OpenApiMediaType>())
            {
                content.Example = example;
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
}

/// <summary>The examples the document shows, shaped exactly like real responses.</summary>
internal static class Examples
{
    public static JsonObject NewUser() => new() { ["email"] = "ann@example.com", ["name"] = "Ann Example" };

    public static JsonObject User() => new()
    {
        ["id"] = "0195f3c2-7b4e-7a51-9f1e-3c2a1b0d4e5f",
        ["email"] = "ann@example.com",
        ["name"] = "Ann Example",
        ["createdAt"] = "2026-11-29T23:05:40.123456Z",
        ["updatedAt"] = "2026-11-29T23:05:40.123456Z",
    };

    public static JsonObject ValidationProblem() => new()
    {
        ["type"] = ProblemDefaults.TypeFor(400),
        ["title"] = "One or more validation errors occurred.",
        ["status"] = 400,
        ["instance"] = "/api/v1/users",
        ["errors"] = new JsonObject
        {
            ["email"] = new JsonArray("Email must be a valid email address, like ann@example.com."),
            ["name"] = new JsonArray("Name is required."),
        },
        ["traceId"] = "4bf92f3577b34da6a3ce929d0e0e4736",
    };

    public static JsonObject Problem(int status, string title, string type, string detail) => new()
    {
        ["type"] = type,
        ["title"] = title,
        ["status"] = status,
        ["detail"] = detail,
        ["instance"] = "/api/v1/users",
        ["traceId"] = "4bf92f3577b34da6a3ce929d0e0e4736",
    };
}
