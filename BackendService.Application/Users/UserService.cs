using BackendService.Application.Paging;
using BackendService.Application.Versioning;
using BackendService.Domain.Errors;
using BackendService.Domain.Users;

namespace BackendService.Application.Users;

internal sealed class UserService(IUserRepository users, TimeProvider clock) : IUserService
{
    /// <summary>The user listing's cursors: a cursor of another listing is refused.</summary>
    public static readonly KeysetCursor Cursors = new("users");

    public async Task<Versioned<UserResponse>> CreateAsync(CreateUserRequest request, CancellationToken cancellationToken)
    {
        var input = UserInputValidator.Validate(request.Email, request.Name);
        var user = User.Create(input.Email, input.Name, clock.GetUtcNow());
        await users.AddAsync(user, cancellationToken);
        return user.ToVersioned();
    }

    public async Task<Versioned<UserResponse>> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        var user = await users.FindAsync(id, cancellationToken) ?? throw UserNotFound(id);
        return user.ToVersioned();
    }

    public async Task<Page<UserResponse>> ListAsync(int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var page = PageRequest.Parse(limit, cursor, Cursors);
        var rows = await users.ListAsync(page.After, page.Take, cancellationToken);
        return Page.From(rows, page, Cursors, UserMapper.ToResponse);
    }

    public async Task<Versioned<UserResponse>> UpdateAsync(Guid id, UpdateUserRequest request, IReadOnlyCollection<string>? ifMatch, CancellationToken cancellationToken)
    {
        return await UpdateAsync(() => users.FindAsync(id, cancellationToken), () => UserNotFound(id), request, ifMatch, cancellationToken);
    }

    public async Task DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await users.DeleteAsync(id, cancellationToken))
        {
            throw UserNotFound(id);
        }
    }

    public async Task<Versioned<UserResponse>> CreateAsync(UserIdentity identity, CreateUserRequest request, CancellationToken cancellationToken)
    {
        var input = UserInputValidator.Validate(request.Email, request.Name);
        var user = User.CreateFor(identity, input.Email, input.Name, clock.GetUtcNow());
        await users.AddAsync(user, cancellationToken);
        return user.ToVersioned();
    }

    public async Task<Versioned<UserResponse>> GetAsync(UserIdentity identity, CancellationToken cancellationToken)
    {
        var user = await users.FindAsync(identity, cancellationToken) ?? throw NoOwnRecord();
        return user.ToVersioned();
    }

    public async Task<Versioned<UserResponse>> UpdateAsync(UserIdentity identity, UpdateUserRequest request, IReadOnlyCollection<string>? ifMatch, CancellationToken cancellationToken)
    {
        return await UpdateAsync(() => users.FindAsync(identity, cancellationToken), NoOwnRecord, request, ifMatch, cancellationToken);
    }

    public async Task DeleteAsync(UserIdentity identity, CancellationToken cancellationToken)
    {
        if (!await users.DeleteAsync(identity, cancellationToken))
        {
            throw NoOwnRecord();
        }
    }

    // One update for both ways of naming the record (by id, by the caller's identity): the input
    // checked first, then the If-Match update with its retry after a lost race.
    private async Task<Versioned<UserResponse>> UpdateAsync(
        Func<Task<User?>> find, Func<NotFoundException> notFound, UpdateUserRequest request, IReadOnlyCollection<string>? ifMatch, CancellationToken cancellationToken)
    {
        var input = UserInputValidator.Validate(request.Email, request.Name);
        var updated = await ConditionalUpdate.RunAsync(
            "user",
            ifMatch,
            find,
            notFound,
            user => user.Update(input.Email, input.Name, clock.GetUtcNow()),
            user => users.UpdateAsync(user, cancellationToken));
        return updated.ToVersioned();
    }

    private static NotFoundException UserNotFound(Guid id) => new($"User {id} was not found.");

    private static NotFoundException NoOwnRecord() => new("You have no user record yet: create it with POST /api/v1/users/me.");
}
