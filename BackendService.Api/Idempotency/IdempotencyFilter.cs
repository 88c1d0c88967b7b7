using System.Text.Json;
using System.Text.Json.Serialization;
using BackendService.Api.Errors;
using BackendService.Api.Security;
using BackendService.Application.Errors;
using BackendService.Application.Idempotency;
using BackendService.Domain.Errors;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Options;

namespace BackendService.Api.Idempotency;

/// <summary>
/// The <c>Idempotency-Key</c> header on an operation marked <see cref="IdempotentAttribute"/>.
/// Around everything MVC does for the request (binding, validation, the action, writing the
/// result): the response is buffered, the request's writes are held (<see cref="IIdempotencyStore"/>),
/// and both go to the database together with the key. A retry gets the first answer again,
/// byte for byte, marked <c>Idempotent-Replayed: true</c>. 5xx answers are not stored: the retry
/// is processed anew. An operation marked idempotent must make its effects only through writes
/// it can hold (here: the repository's insert); anything else would happen twice.
/// </summary>
internal sealed class IdempotencyFilter(IIdempotencyStore store, ApiExceptionFilter errors, IOptions<AuthOptions> auth) : IAsyncResourceFilter
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

        IdempotencyKey key;
        try
        {
            key = IdempotencyKey.Create(Scope(http), header.Count == 1 ? header[0] : null, http.Request.Method, http.Request.Path, await ReadBodyAsync(http.Request));
        }
        catch (DomainException ex)
        {
            context.Result = errors.ResultFor(ex, http);
            return;
        }

        await using var claim = store.Claim(key);
        ResourceExecutedContext? executed = null;
        var answer = await BufferAsync(http, async () => executed = await next());
        if (executed!.Exception is not null && !executed.ExceptionHandled)
        {
            return; // the held writes are dropped with the claim; the exception handler answers
        }

        while (Storable(answer.Status))
        {
            ClaimCompletion completion;
            try
            {
                completion = await claim.CompleteAsync(answer, http.RequestAborted);
            }
            catch (Exception ex) when (ex is DomainException or DependencyUnavailableException)
            {
                // In flight, reused for another request, or no database: nothing was written,
                // and this answer is not the key's, so it is not stored.
                answer = await AnswerWithAsync(context, ex);
                break;
            }

            if (completion.Earlier is { } earlier)
            {
                http.Response.Clear();
                await new ReplayResult(earlier).ExecuteResultAsync(context);
                return;
            }

            if (completion.Refused is not { } refused)
            {
                break;
            }

            // A held write was refused (the email is taken): that error is the answer, and it is
            // stored for the key like any other.
            answer = await AnswerWithAsync(context, refused);
        }

        http.Response.ContentLength = answer.Body.Length;
        await http.Response.Body.WriteAsync(answer.Body, http.RequestAborted);
    }

    private static bool Storable(int status) =>
        status is >= 200 and < 500 and not (StatusCodes.Status408RequestTimeout or StatusCodes.Status429TooManyRequests);

    /// <summary>Replaces the response with the error's, buffered (the one error path writes it).</summary>
    private Task<StoredResponse> AnswerWithAsync(ActionContext context, Exception error)
    {
        // Cleared before the error's result is made: that sets headers of its own (Retry-After).
        context.HttpContext.Response.Clear();
        var result = errors.ResultFor(error, context.HttpContext)!;
        return BufferAsync(context.HttpContext, () => result.ExecuteResultAsync(context));
    }

    /// <summary>Runs <paramref name="write"/> with the response body going to memory, and returns the response as it would be stored.</summary>
    private static async Task<StoredResponse> BufferAsync(HttpContext http, Func<Task> write)
    {
        var response = http.Response;
        var client = response.Body;
        using var buffer = new MemoryStream();
        response.Body = buffer;
        try
        {
            await write();
        }
        finally
        {
            response.Body = client;
        }

        return new StoredResponse(response.StatusCode, response.ContentType, response.Headers.Location, response.Headers.ETag, buffer.ToArray());
    }

    /// <summary>
    /// The caller whose keys these are: the token's issuer, client and subject together, so two
    /// client applications acting for one person keep their keys apart; everyone alike when
    /// authentication is off. A token that names neither client nor subject cannot own a key (400).
    /// </summary>
    private string Scope(HttpContext http)
    {
        if (!auth.Value.Enabled)
        {
            return IdempotencyKey.OpenScope;
        }

        var caller = CallerIdentity.Read(http);
        if (caller.Name is null)
        {
            throw new ValidationException(IdempotencyKey.Header, $"An {IdempotencyKey.Header} belongs to a caller, and this token names none (no azp, client_id or sub claim). Send the request without the key, or with a token that names its client.");
        }

        // As a JSON array: unambiguous whatever the claims hold (one caller, one scope).
        return JsonSerializer.Serialize([caller.Issuer, caller.Client, caller.Subject], ScopeJson.Default.StringArray);
    }

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

[JsonSerializable(typeof(string?[]))]
internal sealed partial class ScopeJson : JsonSerializerContext;

/// <summary>The operation honours <c>Idempotency-Key</c> (see <see cref="IdempotencyFilter"/>).</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class IdempotentAttribute() : ServiceFilterAttribute(typeof(IdempotencyFilter))
{
}
