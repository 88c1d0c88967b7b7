using Microsoft.AspNetCore.Mvc;

namespace BackendService.Api.Errors;

/// <summary>An MVC result that hands its problem to <see cref="IProblemDetailsService"/>, the one way error bodies are written.</summary>
internal sealed class ProblemResult(ProblemDetails problem) : IActionResult
{
    public Task ExecuteResultAsync(ActionContext context) =>
        context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = context.HttpContext, ProblemDetails = problem })
            .AsTask();
}
