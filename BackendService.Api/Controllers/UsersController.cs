using BackendService.Api.Http;
using BackendService.Api.Idempotency;
using BackendService.Api.Security;
using BackendService.Application.Users;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace BackendService.Api.Controllers;

/// <summary>Create, read, list, update and delete users.</summary>
/// <remarks>
/// The statuses every operation shares (401, 403, 500; 400, 413 and 415 with a body; 400 and 404
/// with an id; 304, 409, 412 and 422 where an operation is declared conditional or idempotent)
/// come from OpenApi/StandardResponsesConvention; this controller states what is its own.
/// </remarks>
[ApiController]
[Route("api/v1/users")]
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
    /// <response code="409">A user with this email address already exists.</response>
    [HttpPost(Name = "createUser")]
    [Authorize(Policy = UserScopes.Write)]
    [Idempotent]
    [Consumes("application/json")]
    [ProducesResponseType<UserResponse>(StatusCodes.Status201Created, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<ActionResult<UserResponse>> Create(CreateUserRequest request)
    {
        var created = await users.CreateAsync(request, RequestAborted);
        return this.CreatedWithETag(nameof(Get), created.Value.Id, created);
    }

    /// <summary>Creates your own user record, bound to your identity.</summary>
    /// <remarks>For an end user's token (<c>users:self</c>): the record belongs to the token's issuer and subject for good; the same rules as any create apply.</remarks>
    /// <response code="201">Your record was created; <c>Location</c> is <c>/api/v1/users/me</c> and <c>ETag</c> its version.</response>
    /// <response code="409">You already have a record, or a user with this email address exists.</response>
    [HttpPost("me", Name = "createMyUser")]
    [Authorize(Policy = UserScopes.Self)]
    [Idempotent]
    [Consumes("application/json")]
    [ProducesResponseType<UserResponse>(StatusCodes.Status201Created, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<ActionResult<UserResponse>> CreateMe(CreateUserRequest request) =>
        this.CreatedWithETag(nameof(GetMe), await users.CreateAsync(CallerIdentity.Of(HttpContext), request, RequestAborted));

    /// <summary>Gets your own user record.</summary>
    /// <response code="200">Your record; <c>ETag</c> is its current version.</response>
    /// <response code="404">You have no record yet.</response>
    [HttpGet("me", Name = "getMyUser")]
    [Authorize(Policy = UserScopes.Self)]
    [ConditionalGet]
    [ProducesResponseType<UserResponse>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ActionResult<UserResponse>> GetMe() =>
        this.OkOrNotModified(await users.GetAsync(CallerIdentity.Of(HttpContext), RequestAborted));

    /// <summary>Replaces your own record's email and name.</summary>
    /// <param name="request">The new email and name.</param>
    /// <response code="200">Your updated record, with its new <c>ETag</c>.</response>
    /// <response code="404">You have no record yet.</response>
    /// <response code="409">Another user already has this email address.</response>
    /// <response code="412">If-Match was given and your record has changed since.</response>
    [HttpPut("me", Name = "updateMyUser")]
    [Authorize(Policy = UserScopes.Self)]
    [ConditionalUpdate]
    [Consumes("application/json")]
    [ProducesResponseType<UserResponse>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<ActionResult<UserResponse>> UpdateMe(UpdateUserRequest request) =>
        this.OkWithETag(await users.UpdateAsync(CallerIdentity.Of(HttpContext), request, Request.IfMatchTags(), RequestAborted));

    /// <summary>Deletes your own record; your identity may create one again.</summary>
    /// <response code="204">Your record was deleted.</response>
    /// <response code="404">You have no record.</response>
    [HttpDelete("me", Name = "deleteMyUser")]
    [Authorize(Policy = UserScopes.Self)]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> DeleteMe()
    {
        await users.DeleteAsync(CallerIdentity.Of(HttpContext), RequestAborted);
        return NoContent();
    }

    /// <summary>Gets one user.</summary>
    /// <param name="id">The user's id (a UUID).</param>
    /// <response code="200">The user; <c>ETag</c> is its current version, for <c>If-Match</c> and <c>If-None-Match</c>.</response>
    /// <response code="404">There is no user with this id.</response>
    [HttpGet("{id}", Name = "getUser")]
    [Authorize(Policy = UserScopes.Read)]
    [ConditionalGet]
    [ProducesResponseType<UserResponse>(StatusCodes.Status200OK, "application/json")]
    public async Task<ActionResult<UserResponse>> Get(Guid id) =>
        this.OkOrNotModified(await users.GetAsync(id, RequestAborted));

    /// <summary>Lists users, newest first, one page at a time.</summary>
    /// <param name="limit">Page size (bounds and default in the schema).</param>
    /// <param name="cursor">The opaque cursor from a previous page's next link.</param>
    /// <response code="200">A page of users.</response>
    [HttpGet(Name = "listUsers")]
    [Authorize(Policy = UserScopes.Read)]
    [PagedList]
    [ProducesResponseType<IReadOnlyList<UserResponse>>(StatusCodes.Status200OK, "application/json")]
    public async Task<ActionResult<IReadOnlyList<UserResponse>>> List([FromQuery] int? limit, [FromQuery] string? cursor) =>
        this.PagedWithLink(await users.ListAsync(limit, cursor, RequestAborted));

    /// <summary>Replaces a user's email and name.</summary>
    /// <param name="id">The user's id (a UUID).</param>
    /// <param name="request">The new email and name.</param>
    /// <response code="200">The updated user, with its new <c>ETag</c>.</response>
    /// <response code="404">There is no user with this id.</response>
    /// <response code="409">Another user already has this email address.</response>
    /// <response code="412">If-Match was given and the user has changed since.</response>
    [HttpPut("{id}", Name = "updateUser")]
    [Authorize(Policy = UserScopes.Write)]
    [ConditionalUpdate]
    [Consumes("application/json")]
    [ProducesResponseType<UserResponse>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<ActionResult<UserResponse>> Update(Guid id, UpdateUserRequest request) =>
        this.OkWithETag(await users.UpdateAsync(id, request, Request.IfMatchTags(), RequestAborted));

    /// <summary>Deletes a user.</summary>
    /// <param name="id">The user's id (a UUID).</param>
    /// <response code="204">The user was deleted.</response>
    /// <response code="404">There is no user with this id.</response>
    [HttpDelete("{id}", Name = "deleteUser")]
    [Authorize(Policy = UserScopes.Write)]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<IActionResult> Delete(Guid id)
    {
        await users.DeleteAsync(id, RequestAborted);
        return NoContent();
    }
}
