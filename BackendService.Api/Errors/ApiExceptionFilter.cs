using System.Globalization;
using BackendService.Application.Errors;
using BackendService.Domain.Errors;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace BackendService.Api.Errors;

/// <summary>
/// The one mapping from the errors our code raises on purpose to HTTP statuses. Domain errors
/// are matched by type pattern (so subclasses are caught too) and carry messages meant for
/// API users. Any other exception is not ours to explain: it goes on to the exception
/// handler middleware, which logs it and answers 500 (or the status a bad request carries).
/// </summary>
internal sealed partial class ApiExceptionFilter(ILogger<ApiExceptionFilter> logger) : IExceptionFilter
{
    public void OnException(ExceptionContext context)
    {
        ProblemDetails? problem = context.Exception switch
        {
            ValidationException e => new ValidationProblemDetails(ToFieldErrors(e.Errors)) { Status = StatusCodes.Status400BadRequest },
            NotFoundException e => Problem(StatusCodes.Status404NotFound, e),
            ConflictException e => Problem(StatusCodes.Status409Conflict, e),
            PreconditionFailedException e => Problem(StatusCodes.Status412PreconditionFailed, e),
            DependencyUnavailableException e => Unavailable(context.HttpContext, e),
            _ => null,
        };

        if (problem is not null)
        {
            context.Result = new ProblemResult(problem);
            context.ExceptionHandled = true;
        }
    }

    private static ProblemDetails Problem(int status, Exception exception) => new() { Status = status, Detail = exception.Message };

    private ProblemDetails Unavailable(HttpContext http, DependencyUnavailableException exception)
    {
        // The reason, not the stack: during an outage this repeats for every request.
        LogUnavailable(http.Request.Method, http.Request.Path.Value, exception.InnerException?.GetBaseException().Message);
        http.Response.Headers.RetryAfter = ProblemDefaults.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return Problem(StatusCodes.Status503ServiceUnavailable, exception);
    }

    private static Dictionary<string, string[]> ToFieldErrors(IReadOnlyDictionary<string, string[]> errors) =>
        errors.ToDictionary(error => error.Key, error => error.Value);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database unavailable while processing {Method} {Path}: {Reason}")]
    private partial void LogUnavailable(string method, string? path, string? reason);
}
