using System.Globalization;
using BackendService.Application.Errors;
using BackendService.Application.Idempotency;
using BackendService.Domain.Errors;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace BackendService.Api.Errors;

/// <summary>
/// The one mapping from the errors our code raises on purpose to HTTP statuses. Domain errors
/// are matched by type pattern (so subclasses are caught too) and carry messages meant for
/// API clients. Any other exception is not ours to explain: it goes on to the exception
/// handler middleware, which logs it and answers 500 (or the status a bad request carries).
/// </summary>
internal sealed partial class ApiExceptionFilter(ILogger<ApiExceptionFilter> logger) : IExceptionFilter
{
    public void OnException(ExceptionContext context)
    {
        if (ResultFor(context.Exception, context.HttpContext) is { } result)
        {
            context.Result = result;
            context.ExceptionHandled = true;
        }
    }

    /// <summary>The answer to one of our errors; null for any other exception. Also used where MVC's exception filters do not reach (resource filters).</summary>
    public ProblemResult? ResultFor(Exception exception, HttpContext http)
    {
        ProblemDetails? problem = exception switch
        {
            ValidationException e => new ValidationProblemDetails(ToFieldErrors(e.Errors)) { Status = StatusCodes.Status400BadRequest },
            NotFoundException e => Problem(StatusCodes.Status404NotFound, e),
            IdempotentRequestInFlightException e => RetryShortly(http, Problem(StatusCodes.Status409Conflict, e)),
            ConflictException e => Problem(StatusCodes.Status409Conflict, e),
            PreconditionFailedException e => Problem(StatusCodes.Status412PreconditionFailed, e),
            ForbiddenException e => Problem(StatusCodes.Status403Forbidden, e),
            IdempotencyKeyReusedException e => Problem(StatusCodes.Status422UnprocessableEntity, e),
            DependencyUnavailableException e => Unavailable(http, e),
            _ => null,
        };
        return problem is null ? null : new ProblemResult(problem);
    }

    private static ProblemDetails Problem(int status, Exception exception) => new() { Status = status, Detail = exception.Message };

    private ProblemDetails Unavailable(HttpContext http, DependencyUnavailableException exception)
    {
        // The reason, not the stack: during an outage this repeats for every request.
        LogUnavailable(http.Request.Method, http.Request.Path.Value, exception.InnerException?.GetBaseException().Message);
        return RetryShortly(http, Problem(StatusCodes.Status503ServiceUnavailable, exception));
    }

    private static ProblemDetails RetryShortly(HttpContext http, ProblemDetails problem)
    {
        http.Response.Headers.RetryAfter = ProblemDefaults.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return problem;
    }

    private static Dictionary<string, string[]> ToFieldErrors(IReadOnlyDictionary<string, string[]> errors) =>
        errors.ToDictionary(error => error.Key, error => error.Value);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database unavailable while processing {Method} {Path}: {Reason}")]
    private partial void LogUnavailable(string method, string? path, string? reason);
}
