using BackendService.Application.Paging;
using BackendService.Domain.Errors;
using BackendService.Domain.Users;

namespace BackendService.Application.Users;

internal sealed class UserService(IUserRepository users, TimeProvider clock) : IUserService
{
    // Without If-Match the client asked for "last write wins": a concurrent write between our
    // read and our write is retried rather than reported, a bounded number of times.
    private const int UnconditionalUpdateAttempts = 3;

    public async Task<VersionedUser> CreateAsync(CreateUserRequest request, CancellationToken cancellationToken)
    {
        var input = UserInputValidator.Validate(request.Email, request.Name);
        var user = User.Create(input.Email, input.Name, clock.GetUtcNow());
        await users.AddAsync(user, cancellationToken);
        return user.ToVersioned();
    }

    public async Task<VersionedUser> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        var user = await users.FindAsync(id, cancellationToken) ?? throw UserNotFound(id);
        return user.ToVersioned();
    }

    public async Task<UserPage> ListAsync(int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var pageSize = UserInputValidator.ValidatePageSize(limit);
        UserCursor? after = null;
        if (cursor is not null)
        {
            if (!UserCursor.TryDecode(cursor, out var decoded))
            {
                throw new ValidationException("cursor", "The cursor is not valid. Use the next link of a previous page as it was given.");
            }

            after = decoded;
        }

        // One row more than the page tells whether a next page exists without a COUNT.
        var rows = await users.ListAsync(after, pageSize + 1, cancellationToken);
        var page = rows.Count > pageSize ? rows.Take(pageSize).ToList() : rows;
        var next = rows.Count > pageSize ? new UserCursor(page[^1].CreatedAt, page[^1].Id).Encode() : null;
        return new UserPage(page.Select(u => u.ToResponse()).ToList(), pageSize, next);
    }

    public async Task<VersionedUser> UpdateAsync(Guid id, UpdateUserRequest request, IReadOnlyCollection<string>? ifMatch, CancellationToken cancellationToken)
    {
        var input = UserInputValidator.Validate(request.Email, request.Name);
        for (var attempt = 1; ; attempt++)
        {
            var user = await users.FindAsync(id, cancellationToken) ?? throw UserNotFound(id);
            if (ifMatch is not null && !UserETag.Matches(ifMatch, user))
            {
                throw StaleVersion();
            }

            user.Update(input.Email, input.Name, clock.GetUtcNow());
            try
            {
                // The write is conditional on the version we read, so a write that slipped in
                // after the If-Match check above still fails rather than being overwritten.
                await users.UpdateAsync(user, cancellationToken);
                return user.ToVersioned();
            }
            catch (PreconditionFailedException) when (ifMatch is not null)
            {
                throw StaleVersion();
            }
            catch (PreconditionFailedException) when (attempt < UnconditionalUpdateAttempts)
            {
                // Someone else wrote (or deleted) the user meanwhile: read again and reapply.
            }
            catch (PreconditionFailedException)
            {
                // No If-Match, so 412 would be wrong: the client stated no precondition.
                throw new ConflictException("The user is being changed by other requests at the same time. Retry.");
            }
        }
    }

    public async Task DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await users.DeleteAsync(id, cancellationToken))
        {
            throw UserNotFound(id);
        }
    }

    private static NotFoundException UserNotFound(Guid id) => new($"User {id} was not found.");

    private static PreconditionFailedException StaleVersion() =>
        new("The user has changed since the given If-Match version. Fetch it again and retry with the new ETag.");
}
