using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ModelBinding.Metadata;
using Microsoft.Extensions.Options;

namespace BackendService.Api.Errors;

/// <summary>
/// Turns model-binding failures (malformed JSON, unknown properties, a wrong type, a bad
/// route or query value) into the same validation ProblemDetails the validator produces:
/// keyed by the camelCase JSON name, with messages that never quote .NET types or parser
/// internals.
/// </summary>
internal static class InvalidRequestResponse
{
    private const string BodyKey = "body";

    // A client's own text is echoed only as a short excerpt: a megabyte-long unknown property
    // name must not come back as a megabyte (twice) in the 400.
    private const int EchoedNameMaxLength = 64;

    /// <summary>MVC's binding messages quote the value the client sent (a 9 KB query value, say); ours never do.</summary>
    public static void EchoNoClientValues(this DefaultModelBindingMessageProvider messages)
    {
        messages.SetAttemptedValueIsInvalidAccessor((_, field) => $"The value is not a valid {field}.");
        messages.SetNonPropertyAttemptedValueIsInvalidAccessor(_ => "The value is not valid.");
        messages.SetValueMustNotBeNullAccessor(_ => "The value must not be null.");
    }

    public static IActionResult Create(ActionContext context)
    {
        var members = BodyMembers(context);
        var cleaned = new ModelStateDictionary();
        foreach (var (key, entry) in context.ModelState)
        {
            foreach (var error in entry.Errors)
            {
                var (field, message) = Describe(key, error, members);
                cleaned.AddModelError(field, message);
            }
        }

        // A body that failed to parse also trips "the request field is required"; that adds nothing.
        if (cleaned.ErrorCount > 1)
        {
            cleaned.Remove("request");
        }

        return new ProblemResult(new ValidationProblemDetails(cleaned) { Status = StatusCodes.Status400BadRequest });
    }

    private static (string Field, string Message) Describe(string key, ModelError error, HashSet<string> members)
    {
        var field = FieldName(key);
        if (error.Exception is not JsonException json)
        {
            var message = string.IsNullOrEmpty(error.ErrorMessage) ? "The value is not valid." : error.ErrorMessage;
            return (field, message);
        }

        if (json.InnerException is JsonException || json.Path is null or "$")
        {
            // The reader itself failed: the text is not JSON (or not a JSON object).
            return (BodyKey, "The request body is not valid JSON.");
        }

        // A member the body's type does not have (System.Text.Json refuses it: UnmappedMemberHandling).
        if (!members.Contains(MemberName(key)))
        {
            return (field, $"'{field}' is not a known property. Check its spelling against the API documentation.");
        }

        return (field, "The value has the wrong JSON type or format, or the property is given more than once.");
    }

    /// <summary>The JSON names of the action's body type, as the serializer sees them.</summary>
    private static HashSet<string> BodyMembers(ActionContext context)
    {
        var body = context.ActionDescriptor.Parameters.FirstOrDefault(p => p.BindingInfo?.BindingSource == BindingSource.Body)?.ParameterType;
        if (body is null)
        {
            return new HashSet<string>();
        }

        var json = context.HttpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.JsonSerializerOptions;
        return json.GetTypeInfo(body).Properties.Select(property => property.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    // "$.emial" or "$['odd name']": the member the reader stopped at.
    private static string MemberName(string key) =>
        key.StartsWith("$['", StringComparison.Ordinal) && key.EndsWith("']", StringComparison.Ordinal) ? key[3..^2]
        : key.StartsWith("$.", StringComparison.Ordinal) ? key[2..]
        : key;

    private static string FieldName(string key)
    {
        var name = key.StartsWith("$.", StringComparison.Ordinal) ? key[2..] : key.TrimStart('$');
        if (name.StartsWith("request.", StringComparison.Ordinal))
        {
            name = name["request.".Length..];
        }

        if (name.Length == 0)
        {
            return BodyKey;
        }

        var camelCase = char.ToLowerInvariant(name[0]) + name[1..Math.Min(name.Length, EchoedNameMaxLength)];
        return name.Length > EchoedNameMaxLength ? camelCase + "…" : camelCase;
    }
}
