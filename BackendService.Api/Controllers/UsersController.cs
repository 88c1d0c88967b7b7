using BackendService.Api.Http;
using BackendService.Api.Idempotency;
using BackendService.Api.Security;
using BackendService.Application.Users;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace BackendService.Api.Controllers;

/// <summary>Create, read, list, update and delete users.</summary>
[ApiController]
[Route("api/v1/users")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status500InternalServerError, "application/problem+json")]
public sealed class UsersController(IUserService users) : ControllerBase
{
    // Cancelled when the client goes away or the request times out. Read from the context
    // rather than bound as an action parameter: binding costs a binding context, a
    // validation pass and a model-state entry on every request.
    private CancellationToken RequestAborted => HttpContext.RequestAborted;

    /// <summary>Creates a user.</summary>
    /// <remarks>
    /// One account per email address, compared case-folded, in Unicode NFC, with the domain in its
    /// IDNA ASCII form: <c>Ann@x.io</c> and <c>ann@x.io</c> are one account. Control, invisible
    /// and formatting characters are refused in both fields. The body is limited to a few KB (413 beyond).
    /// </remarks>
    /// <response code="201">The user was created; <c>Location</c> points at it and <c>ETag</c> is its version.</response>
    /// <response code="400">The body is not valid JSON, has unknown properties, or breaks a validation rule.</response>
    /// <response code="409">A user with this email already exists.</response>
    /// <response code="413">The body is larger than the limit.</response>
    /// <response code="415">The body is not <c>application/json</c>.</response>
    [HttpPost(Name = "createUser")]
    [Authorize(Policy = Scopes.UsersWrite)]
    [Idempotent]
    [Consumes("application/json")]
    [ProducesResponseType<UserResponse>(StatusCodes.Status201Created, "application/json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    public async Task<ActionResult<UserResponse>> Create(CreateUserRequest request)
    {
        var created = await users.CreateAsync(request, RequestAborted);
        Response.Headers.ETag = created.ETag;
        return Created(Url.Action(nameof(Get), new { id = created.Value.Id }), created.Value);
    }

    /// <summary>Gets one user.</summary>
    /// <param name="id">The user's id (a UUID).</param>
    /// <response code="200">The user; <c>ETag</c> is its current version, for <c>If-Match</c> and <c>If-None-Match</c>.</response>
    /// <response code="304">If-None-Match named the current ETag: the client's copy is current (no body).</response>
    /// <response code="400">The id is not a UUID.</response>
    /// <response code="404">There is no user with this id.</response>
    [HttpGet("{id}", Name = "getUser")]
    [Authorize(Policy = Scopes.UsersRead)]
    [ProducesResponseType<UserResponse>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType(StatusCodes.Status304NotModified)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ActionResult<UserResponse>> Get(Guid id)
    {
        var found = await users.GetAsync(id, RequestAborted);
        Response.Headers.ETag = found.ETag;
        return Request.IsNotModified(found.ETag) ? StatusCode(StatusCodes.Status304NotModified) : found.Value;
    }

    /// <summary>Lists users, newest first, one page at a time.</summary>
    /// <remarks>
    /// When more users exist, the <c>Link</c> header carries the next page:
    /// <c>&lt;/api/v1/users?limit=50&amp;cursor=...&gt;; rel="next"</c>. The last page has no such link.
    /// </remarks>
    /// <param name="limit">Page size (bounds and default in the schema).</param>
    /// <param name="cursor">The opaque cursor from a previous page's next link.</param>
    /// <response code="200">A page of users.</response>
    /// <response code="400">The limit is out of range or the cursor is not one we issued.</response>
    [HttpGet(Name = "listUsers")]
    [Authorize(Policy = Scopes.UsersRead)]
    [ProducesResponseType<IReadOnlyList<UserResponse>>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<ActionResult<IReadOnlyList<UserResponse>>> List([FromQuery] int? limit, [FromQuery] string? cursor)
    {
        var page = await users.ListAsync(limit, cursor, RequestAborted);
        if (page.NextCursor is not null)
        {
            Response.Headers.Link = $"<{Url.Action(nameof(List), new { limit = page.Limit, cursor = page.NextCursor })}>; rel=\"next\"";
        }

        return Ok(page.Items);
    }

    /// <summary>Replaces a user's email and name.</summary>
    /// <remarks>Send <c>If-Match</c> with the ETag you read to make sure you do not overwrite someone else's change.</remarks>
    /// <param name="id">The user's id (a UUID).</param>
    /// <param name="request">The new email and name.</param>
    /// <response code="200">The updated user, with its new <c>ETag</c>.</response>
    /// <response code="400">The id or body is not valid.</response>
    /// <response code="404">There is no user with this id.</response>
    /// <response code="409">Another user already has this email.</response>
    /// <response code="412">If-Match was given and the user has changed since.</response>
    /// <response code="413">The body is larger than the limit.</response>
    /// <response code="415">The body is not <c>application/json</c>.</response>
    [HttpPut("{id}", Name = "updateUser")]
    [Authorize(Policy = Scopes.UsersWrite)]
    [Consumes("application/json")]
    [ProducesResponseType<UserResponse>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    public async Task<ActionResult<UserResponse>> Update(Guid id, UpdateUserRequest request)
    {
        var updated = await users.UpdateAsync(id, request, Request.IfMatchTags(), RequestAborted);
        Response.Headers.ETag = updated.ETag;
        return updated.Value;
    }

    /// <summary>Deletes a user.</summary>
    /// <param name="id">The user's id (a UUID).</param>
    /// <response code="204">The user was deleted.</response>
    /// <response code="400">The id is not a UUID.</response>
    /// <response code="404">There is no user with this id.</response>
    [HttpDelete("{id}", Name = "deleteUser")]
    [Authorize(Policy = Scopes.UsersWrite)]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Delete(Guid id)
    {
        await users.DeleteAsync(id, RequestAborted);
        return NoContent();
    }
}
