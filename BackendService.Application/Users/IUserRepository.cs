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
    /// <summary>Loads a user; null when there is none. Changes are written with <see cref="UpdateAsync"/>.</summary>
    Task<User?> FindAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Loads the user bound to <paramref name="identity"/>; null when it has none.</summary>
    Task<User?> FindAsync(UserIdentity identity, CancellationToken cancellationToken);

    /// <summary>Deletes the user bound to <paramref name="identity"/>; false when there was none.</summary>
    Task<bool> DeleteAsync(UserIdentity identity, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="take"/> users strictly after <paramref name="after"/> in keyset order (newest first).</summary>
    Task<IReadOnlyList<User>> ListAsync(KeysetPosition? after, int take, CancellationToken cancellationToken);

    /// <summary>Stores a new user and records the version the database gave it.</summary>
    Task AddAsync(User user, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the user's changes if its row still has the version the user was read with, and
    /// records the new version; otherwise nothing is written.
    /// </summary>
    Task UpdateAsync(User user, CancellationToken cancellationToken);

    /// <summary>Deletes the user; false when there was none.</summary>
    Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken);
}
