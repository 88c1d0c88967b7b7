using System.Security.Claims;
using BackendService.Api.Errors;
using BackendService.Application.Errors;
using BackendService.Application.Idempotency;
using BackendService.Domain.Errors;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace BackendService.Api.Idempotency;

/// <summary>
/// The <c>Idempotency-Key</c> header on an operation marked <see cref="IdempotentAttribute"/>.
/// Around everything MVC does for the request (binding, validation, the action, writing the
/// result): the first request with a key is answered as usual, and its response is stored in
/// the transaction of its writes; a retry gets that response again, byte for byte, marked
/// <c>Idempotent-Replayed: true</c>. 5xx answers are not stored: the retry is processed anew.
/// </summary>
internal sealed class IdempotencyFilter(IIdempotencyStore store, ApiExceptionFilter errors) : IAsyncResourceFilter
{
    public const string ReplayedHeader = "Idempotent-Replayed";

    public async Task OnResourceExecutionAsync(ResourceExecutingContext context, ResourceExecutionDelegate next)
    {
        var http = context.HttpContext;
        if (!http.Request.Headers.TryGetValue(IdempotencyKey.Header, out var header))
        {
            await next();
            return;
        }

        IIdempotencyClaim claim;
        try
        {
            var key = IdempotencyKey.Create(Scope(http.User), header.Count == 1 ? header[0] : null, http.Request.Method, http.Request.Path, await ReadBodyAsync(http.Request));
            var lookup = await store.ClaimAsync(key, http.RequestAborted);
            if (lookup.Stored is { } stored)
            {
                context.Result = new ReplayResult(stored);
                return;
            }

            claim = lookup.Claim!;
        }
        catch (Exception ex) when (ex is DomainException or DependencyUnavailableException)
        {
            context.Result = errors.ResultFor(ex, http);
            return;
        }

        await using (claim)
        {
            await AnswerAndStoreAsync(context, next, claim);
        }
    }

    private async Task AnswerAndStoreAsync(ResourceExecutingContext context, ResourceExecutionDelegate next, IIdempotencyClaim claim)
    {
        var http = context.HttpContext;
        var client = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        ResourceExecutedContext executed;
        try
        {
            executed = await next();
        }
        finally
        {
            http.Response.Body = client;
        }

        if (executed.Exception is not null && !executed.ExceptionHandled)
        {
            return; // rolled back with the claim; the exception handler answers
        }

        var response = http.Response;
        if (response.StatusCode is >= 200 and < 500 and not (StatusCodes.Status408RequestTimeout or StatusCodes.Status429TooManyRequests))
        {
            try
            {
                await claim.CompleteAsync(new StoredResponse(response.StatusCode, response.ContentType, response.Headers.Location, response.Headers.ETag, buffer.ToArray()), http.RequestAborted);
            }
            catch (DependencyUnavailableException ex)
            {
                // Not committed, so not created: the client must not see the 201.
                response.Clear();
                await errors.ResultFor(ex, http)!.ExecuteResultAsync(context);
                return;
            }
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(client, http.RequestAborted);
    }

    /// <summary>The caller whose keys these are: the token's subject (or client), everyone alike when authentication is off.</summary>
    private static string Scope(ClaimsPrincipal user) =>
        user.FindFirst("sub")?.Value ?? user.FindFirst("client_id")?.Value ?? IdempotencyKey.OpenScope;

    /// <summary>The body's bytes for the fingerprint, left readable again for model binding.</summary>
    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        request.EnableBuffering();
        using var copy = new MemoryStream();
        await request.Body.CopyToAsync(copy, request.HttpContext.RequestAborted);
        request.Body.Position = 0;
        return copy.ToArray();
    }

    private sealed class ReplayResult(StoredResponse stored) : IActionResult
    {
        public async Task ExecuteResultAsync(ActionContext context)
        {
            var response = context.HttpContext.Response;
            response.StatusCode = stored.Status;
            response.ContentType = stored.ContentType;
            if (stored.Location is not null)
            {
                response.Headers.Location = stored.Location;
            }

            if (stored.ETag is not null)
            {
                response.Headers.ETag = stored.ETag;
            }

            response.Headers[ReplayedHeader] = "true";
            response.ContentLength = stored.Body.Length;
            await response.Body.WriteAsync(stored.Body, context.HttpContext.RequestAborted);
        }
    }
}

/// <summary>The operation honours <c>Idempotency-Key</c> (see <see cref="IdempotencyFilter"/>).</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class IdempotentAttribute() : ServiceFilterAttribute(typeof(IdempotencyFilter))
{
}
