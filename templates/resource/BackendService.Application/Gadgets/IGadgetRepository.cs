using BackendService.Application.Paging;
using BackendService.Domain.Gadgets;

namespace BackendService.Application.Gadgets;

/// <summary>
/// Persistence of gadgets. Implementations translate storage failures into domain errors (the
/// table's declared refusals), a row changed or removed since it was read into
/// <see cref="Domain.Errors.PreconditionFailedException"/>.
/// </summary>
public interface IGadgetRepository
{
    /// <summary>Loads a gadget; null when there is none.</summary>
    Task<Gadget?> FindAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="take"/> gadgets strictly after <paramref name="after"/> in keyset order (newest first).</summary>
    Task<IReadOnlyList<Gadget>> ListAsync(KeysetPosition? after, int take, CancellationToken cancellationToken);

    /// <summary>Stores a new gadget (held, in an idempotent request, to go with its stored answer).</summary>
    Task AddAsync(Gadget gadget, CancellationToken cancellationToken);

    /// <summary>Writes the changes if the row still has the version it was read with, and records the new version.</summary>
    Task UpdateAsync(Gadget gadget, CancellationToken cancellationToken);

    /// <summary>Deletes the gadget; false when there was none.</summary>
    Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken);
}
