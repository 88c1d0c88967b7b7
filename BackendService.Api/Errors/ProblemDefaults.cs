using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;

namespace BackendService.Api.Errors;

/// <summary>
/// What every problem carries, whoever raised it: a <c>type</c> link to the status's
/// definition, a <c>title</c>, a <c>detail</c> for the statuses the framework raises without
/// one, the request path as <c>instance</c>, and the W3C trace id the logs carry.
/// </summary>
internal static class ProblemDefaults
{
    /// <summary>Seconds a client should wait before retrying after a 503.</summary>
    public const int RetryAfterSeconds = 5;

    public static void Apply(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        var status = problem.Status ?? http.Response.StatusCode;
        problem.Type ??= TypeFor(status);
        problem.Title ??= ReasonPhrases.GetReasonPhrase(status);
        if (problem is not HttpValidationProblemDetails)
        {
            problem.Detail ??= DetailFor(status);
        }

        problem.Instance ??= http.Request.PathBase + http.Request.Path;

        // The caller's trace id when it sent traceparent: the same id the logs carry.
        problem.Extensions["traceId"] = Activity.Current?.TraceId.ToHexString() ?? http.TraceIdentifier;
    }

    public static string TypeFor(int status) => status switch
    {
        429 => "https://www.rfc-editor.org/rfc/rfc6585#section-4",
        431 => "https://www.rfc-editor.org/rfc/rfc6585#section-5",
        >= 400 and <= 418 => Rfc9110(15.5m, status - 399),
        421 or 422 => Rfc9110(15.5m, status - 401),
        426 => Rfc9110(15.5m, 22),
        >= 500 and <= 505 => Rfc9110(15.6m, status - 499),
        >= 500 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.6",
        _ => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5",
    };

    // RFC 9110 gives each status a numbered section in status order (15.5.1 is 400).
    private static string Rfc9110(decimal chapter, int section) =>
        string.Create(CultureInfo.InvariantCulture, $"https://www.rfc-editor.org/rfc/rfc9110#section-{chapter}.{section}");

    // Statuses raised by the framework carry no message of their own; ours always carry one.
    private static string? DetailFor(int status) => status switch
    {
        400 => "The request could not be read.",
        401 => "A valid bearer token is required: send Authorization: Bearer <access token from the identity provider>. WWW-Authenticate says what was wrong with the one sent.",
        403 => "The token does not allow this request.",
        404 => "There is nothing at this path. The API lives under /api/v1.",
        405 => "This path does not accept this method.",
        408 => "The request body arrived too slowly.",
        413 => "The request body is larger than this endpoint accepts.",
        414 => "The request target (path and query string) is longer than the service accepts.",
        415 => "The request body must be application/json.",
        429 => "Too many requests from this client. Retry after the number of seconds in Retry-After.",
        500 => "An unexpected error occurred. It has been logged; quote the traceId when reporting it.",
        504 => "The request did not complete in time and was cancelled. It may be retried.",
        _ => null,
    };
}
