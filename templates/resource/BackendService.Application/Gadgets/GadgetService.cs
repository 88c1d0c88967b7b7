using BackendService.Application.Paging;
using BackendService.Application.Versioning;
using BackendService.Domain.Errors;
using BackendService.Domain.Gadgets;

namespace BackendService.Application.Gadgets;

internal sealed class GadgetService(IGadgetRepository gadgets, TimeProvider clock) : IGadgetService
{
    /// <summary>The gadget listing's cursors: a cursor of another listing is refused.</summary>
    public static readonly KeysetCursor Cursors = new("gadgets");

    public async Task<Versioned<GadgetResponse>> CreateAsync(CreateGadgetRequest request, CancellationToken cancellationToken)
    {
        var input = GadgetInputValidator.Validate(request.Name);
        var gadget = Gadget.Create(input.Name, clock.GetUtcNow());
        await gadgets.AddAsync(gadget, cancellationToken);
        return gadget.ToVersioned();
    }

    public async Task<Versioned<GadgetResponse>> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        var gadget = await gadgets.FindAsync(id, cancellationToken) ?? throw NotFound(id);
        return gadget.ToVersioned();
    }

    public async Task<Page<GadgetResponse>> ListAsync(int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var page = PageRequest.Parse(limit, cursor, Cursors);
        var rows = await gadgets.ListAsync(page.After, page.Take, cancellationToken);
        return Page.From(rows, page, Cursors, GadgetMapper.ToResponse);
    }

    public async Task<Versioned<GadgetResponse>> UpdateAsync(Guid id, UpdateGadgetRequest request, IReadOnlyCollection<string>? ifMatch, CancellationToken cancellationToken)
    {
        var input = GadgetInputValidator.Validate(request.Name);
        var updated = await ConditionalUpdate.RunAsync(
            "gadget",
            ifMatch,
            () => gadgets.FindAsync(id, cancellationToken),
            () => NotFound(id),
            gadget => gadget.Update(input.Name, clock.GetUtcNow()),
            gadget => gadgets.UpdateAsync(gadget, cancellationToken));
        return updated.ToVersioned();
    }

    public async Task DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await gadgets.DeleteAsync(id, cancellationToken))
        {
            throw NotFound(id);
        }
    }

    private static NotFoundException NotFound(Guid id) => new($"Gadget {id} was not found.");
}
