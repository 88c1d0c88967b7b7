using BackendService.Application.Paging;
using BackendService.Domain.Users;

namespace BackendService.Application.Users;

/// <summary>
/// Persistence of users. Implementations translate storage failures into domain errors:
/// a duplicate email into <see cref="Domain.Errors.ConflictException"/>, a row changed or
/// removed since it was read into <see cref="Domain.Errors.PreconditionFailedException"/>.
/// </summary>
public interface IUserRepository
{
    /// <summary>Loads a user for change; null when there is none.</summary>
    Task<User?> FindForUpdateAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Loads a user for reading only; null when there is none.</summary>
    Task<User?> FindAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="take"/> users strictly after <paramref name="after"/> in keyset order (newest first).</summary>
    Task<IReadOnlyList<User>> ListAsync(UserCursor? after, int take, CancellationToken cancellationToken);

    void Add(User user);

    /// <summary>Deletes the user; false when there was none.</summary>
    Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Writes the pending changes in one transaction.</summary>
    Task SaveChangesAsync(CancellationToken cancellationToken);
}
