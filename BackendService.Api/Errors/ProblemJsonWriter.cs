using Microsoft.Extensions.Options;

namespace BackendService.Api.Errors;

/// <summary>
/// The one writer of error bodies: every ProblemDetails the service sends goes through
/// ASP.NET Core's <see cref="IProblemDetailsService"/> to here. It always writes
/// <c>application/problem+json</c>, whatever the Accept header asks for, because the
/// contract promises that shape to every client (the framework's own writer declines a
/// request that accepts only text/html, and the body would then be plain text or empty).
/// </summary>
internal sealed class ProblemJsonWriter(IOptions<ProblemDetailsOptions> problemOptions, IOptions<Microsoft.AspNetCore.Mvc.JsonOptions> jsonOptions)
    : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        problem.Status ??= http.Response.StatusCode;
        http.Response.StatusCode = problem.Status.Value;
        problemOptions.Value.CustomizeProblemDetails?.Invoke(context);

        // The runtime type, so that a validation problem keeps its "errors".
        return new ValueTask(http.Response.WriteAsJsonAsync(
            problem, problem.GetType(), jsonOptions.Value.JsonSerializerOptions, "application/problem+json", http.RequestAborted));
    }
}
