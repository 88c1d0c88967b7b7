using BackendService.Application.Paging;
using BackendService.Application.Versioning;
using BackendService.Domain.Users;

namespace BackendService.Application.Users;

/// <summary>The user use cases. Failures are raised as domain exceptions.</summary>
public interface IUserService
{
    Task<Versioned<UserResponse>> CreateAsync(CreateUserRequest request, CancellationToken cancellationToken);

    Task<Versioned<UserResponse>> GetAsync(Guid id, CancellationToken cancellationToken);

    /// <param name="limit">Page size within <see cref="PageSize"/>; its default when null.</param>
    /// <param name="cursor">An opaque cursor from a previous page, or null for the first page.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    Task<Page<UserResponse>> ListAsync(int? limit, string? cursor, CancellationToken cancellationToken);

    /// <param name="id">The user to update.</param>
    /// <param name="request">The new email and name.</param>
    /// <param name="ifMatch">The entity tags of an If-Match header (<c>*</c> for any), or null when none was sent.</param>
    /// <param name="cancellationToken">Cancels the update.</param>
    Task<Versioned<UserResponse>> UpdateAsync(Guid id, UpdateUserRequest request, IReadOnlyCollection<string>? ifMatch, CancellationToken cancellationToken);

    Task DeleteAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Creates the caller's own record, bound to <paramref name="identity"/> (409 when it has one already).</summary>
    Task<Versioned<UserResponse>> CreateAsync(UserIdentity identity, CreateUserRequest request, CancellationToken cancellationToken);

    /// <summary>The caller's own record (404 when it has none yet).</summary>
    Task<Versioned<UserResponse>> GetAsync(UserIdentity identity, CancellationToken cancellationToken);

    Task<Versioned<UserResponse>> UpdateAsync(UserIdentity identity, UpdateUserRequest request, IReadOnlyCollection<string>? ifMatch, CancellationToken cancellationToken);

    Task DeleteAsync(UserIdentity identity, CancellationToken cancellationToken);
}
