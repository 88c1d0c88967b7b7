using System.Globalization;
using BackendService.Application.Errors;
using BackendService.Domain.Errors;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace BackendService.Api.Errors;

/// <summary>
/// The one place where exceptions become HTTP responses. Domain errors are matched by type
/// pattern (so subclasses are caught too) and carry messages meant for API users; anything
/// else is a fault: logged in full with the trace id, answered with a 500 that reveals nothing.
/// </summary>
internal sealed partial class ApiExceptionFilter(ProblemDetailsFactory problems, ILogger<ApiExceptionFilter> logger) : IExceptionFilter
{
    public void OnException(ExceptionContext context)
    {
        var http = context.HttpContext;
        if (context.Exception is OperationCanceledException && http.RequestAborted.IsCancellationRequested)
        {
            // A request timeout (the timeout middleware answers 504) or a client that went away
            // (the exception handler records 499): not ours to answer.
            return;
        }

        var problem = context.Exception switch
        {
            ValidationException e => problems.CreateValidationProblemDetails(http, ToModelState(e.Errors), StatusCodes.Status400BadRequest),
            NotFoundException e => problems.CreateProblemDetails(http, StatusCodes.Status404NotFound, detail: e.Message),
            ConflictException e => problems.CreateProblemDetails(http, StatusCodes.Status409Conflict, detail: e.Message),
            PreconditionFailedException e => problems.CreateProblemDetails(http, StatusCodes.Status412PreconditionFailed, detail: e.Message),
            DependencyUnavailableException e => Unavailable(http, e),
            BadHttpRequestException e => problems.CreateProblemDetails(http, e.StatusCode, detail: BadRequestDetail(e.StatusCode)),
            _ => Unexpected(context),
        };

        context.Result = new ObjectResult(problem)
        {
            StatusCode = problem.Status,
            ContentTypes = { "application/problem+json" },
        };
        context.ExceptionHandled = true;
    }

    private ProblemDetails Unavailable(HttpContext http, DependencyUnavailableException exception)
    {
        // The reason, not the stack: during an outage this repeats for every request.
        LogUnavailable(http.Request.Method, http.Request.Path.Value, exception.InnerException?.GetBaseException().Message);
        http.Response.Headers.RetryAfter = ProblemResponses.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return problems.CreateProblemDetails(http, StatusCodes.Status503ServiceUnavailable, detail: exception.Message);
    }

    private ProblemDetails Unexpected(ExceptionContext context)
    {
        LogUnexpected(context.Exception, context.HttpContext.Request.Method, context.HttpContext.Request.Path.Value);
        return problems.CreateProblemDetails(
            context.HttpContext,
            StatusCodes.Status500InternalServerError,
            detail: "An unexpected error occurred. It has been logged; quote the traceId when reporting it.");
    }

    private static string BadRequestDetail(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => "The request body is larger than the service accepts.",
        StatusCodes.Status408RequestTimeout => "The request body arrived too slowly.",
        _ => "The request could not be read.",
    };

    private static ModelStateDictionary ToModelState(IReadOnlyDictionary<string, string[]> errors)
    {
        var modelState = new ModelStateDictionary();
        foreach (var (field, messages) in errors)
        {
            foreach (var message in messages)
            {
                modelState.AddModelError(field, message);
            }
        }

        return modelState;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception while processing {Method} {Path}")]
    private partial void LogUnexpected(Exception exception, string method, string? path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database unavailable while processing {Method} {Path}: {Reason}")]
    private partial void LogUnavailable(string method, string? path, string? reason);
}
