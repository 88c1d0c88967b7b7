using BackendService.Api.Http;
using BackendService.Api.Idempotency;
using BackendService.Application.Gadgets;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace BackendService.Api.Controllers;

/// <summary>Create, read, list, update and delete gadgets.</summary>
/// <remarks>
/// The statuses every operation shares come from OpenApi/StandardResponsesConvention (what an
/// action reads and declares); this controller states what is its own.
/// </remarks>
[ApiController]
[Route("api/v1/gadgets")]
public sealed class GadgetsController(IGadgetService gadgets) : ControllerBase
{
    private CancellationToken RequestAborted => HttpContext.RequestAborted;

    /// <summary>Creates a gadget.</summary>
    /// <response code="201">The gadget was created; <c>Location</c> points at it and <c>ETag</c> is its version.</response>
    /// <response code="400">The body is not valid JSON, has unknown properties, or breaks a validation rule.</response>
    [HttpPost(Name = "createGadget")]
    [Authorize(Policy = GadgetScopes.Write)]
    [Idempotent]
    [Consumes("application/json")]
    [ProducesResponseType<GadgetResponse>(StatusCodes.Status201Created, "application/json")]
    public async Task<ActionResult<GadgetResponse>> Create(CreateGadgetRequest request)
    {
        var created = await gadgets.CreateAsync(request, RequestAborted);
        return this.CreatedWithETag(nameof(Get), created.Value.Id, created);
    }

    /// <summary>Gets one gadget.</summary>
    /// <param name="id">The gadget's id (a UUID).</param>
    /// <response code="200">The gadget; <c>ETag</c> is its current version.</response>
    /// <response code="404">There is no gadget with this id.</response>
    [HttpGet("{id}", Name = "getGadget")]
    [Authorize(Policy = GadgetScopes.Read)]
    [ConditionalGet]
    [ProducesResponseType<GadgetResponse>(StatusCodes.Status200OK, "application/json")]
    public async Task<ActionResult<GadgetResponse>> Get(Guid id) =>
        this.OkOrNotModified(await gadgets.GetAsync(id, RequestAborted));

    /// <summary>Lists gadgets, newest first, one page at a time.</summary>
    /// <param name="limit">Page size (bounds and default in the schema).</param>
    /// <param name="cursor">The opaque cursor from a previous page's next link.</param>
    /// <response code="200">A page of gadgets.</response>
    [HttpGet(Name = "listGadgets")]
    [Authorize(Policy = GadgetScopes.Read)]
    [PagedList]
    [ProducesResponseType<IReadOnlyList<GadgetResponse>>(StatusCodes.Status200OK, "application/json")]
    public async Task<ActionResult<IReadOnlyList<GadgetResponse>>> List([FromQuery] int? limit, [FromQuery] string? cursor) =>
        this.PagedWithLink(await gadgets.ListAsync(limit, cursor, RequestAborted));

    /// <summary>Replaces a gadget.</summary>
    /// <param name="id">The gadget's id (a UUID).</param>
    /// <param name="request">Its new state.</param>
    /// <response code="200">The updated gadget, with its new <c>ETag</c>.</response>
    /// <response code="404">There is no gadget with this id.</response>
    /// <response code="412">If-Match was given and the gadget has changed since.</response>
    [HttpPut("{id}", Name = "updateGadget")]
    [Authorize(Policy = GadgetScopes.Write)]
    [ConditionalUpdate]
    [Consumes("application/json")]
    [ProducesResponseType<GadgetResponse>(StatusCodes.Status200OK, "application/json")]
    public async Task<ActionResult<GadgetResponse>> Update(Guid id, UpdateGadgetRequest request) =>
        this.OkWithETag(await gadgets.UpdateAsync(id, request, Request.IfMatchTags(), RequestAborted));

    /// <summary>Deletes a gadget.</summary>
    /// <param name="id">The gadget's id (a UUID).</param>
    /// <response code="204">The gadget was deleted.</response>
    /// <response code="404">There is no gadget with this id.</response>
    [HttpDelete("{id}", Name = "deleteGadget")]
    [Authorize(Policy = GadgetScopes.Write)]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<IActionResult> Delete(Guid id)
    {
        await gadgets.DeleteAsync(id, RequestAborted);
        return NoContent();
    }
}
