using BackendService.Application.Paging;
using BackendService.Application.Versioning;

namespace BackendService.Application.Gadgets;

/// <summary>The gadget use cases. Failures are raised as domain exceptions.</summary>
public interface IGadgetService
{
    Task<Versioned<GadgetResponse>> CreateAsync(CreateGadgetRequest request, CancellationToken cancellationToken);

    Task<Versioned<GadgetResponse>> GetAsync(Guid id, CancellationToken cancellationToken);

    Task<Page<GadgetResponse>> ListAsync(int? limit, string? cursor, CancellationToken cancellationToken);

    /// <param name="id">The gadget to update.</param>
    /// <param name="request">Its new state.</param>
    /// <param name="ifMatch">The entity tags of an If-Match header (<c>*</c> for any), or null when none was sent.</param>
    /// <param name="cancellationToken">Cancels the update.</param>
    Task<Versioned<GadgetResponse>> UpdateAsync(Guid id, UpdateGadgetRequest request, IReadOnlyCollection<string>? ifMatch, CancellationToken cancellationToken);

    Task DeleteAsync(Guid id, CancellationToken cancellationToken);
}
