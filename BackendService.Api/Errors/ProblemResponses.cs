using Microsoft.AspNetCore.Mvc;

namespace BackendService.Api.Errors;

/// <summary>ProblemDetails written by middleware (timeouts, rate limits), in the same shape MVC writes.</summary>
internal static class ProblemResponses
{
    /// <summary>Seconds a client should wait before retrying after a 503 or 429.</summary>
    public const int RetryAfterSeconds = 5;

    public static ValueTask WriteAsync(HttpContext http, int status, string detail)
    {
        http.Response.StatusCode = status;
        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        return problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails { Status = status, Detail = detail },
        });
    }
}
