using BackendService.Application.Paging;
using BackendService.Application.Users;
using BackendService.Domain.Errors;
using BackendService.Domain.Users;

namespace BackendService.Tests.Unit;

/// <summary>
/// An update without If-Match is "last write wins": a write that loses a race is read again and
/// reapplied, three attempts in all, then answered 409. With If-Match it is never retried.
/// </summary>
public sealed class UserServiceUpdateRetryTests
{
    private static readonly UpdateUserRequest Request = new() { Email = "new@example.com", Name = "New" };

    [TestCase(1)]
    [TestCase(3)]
    public async Task Unconditional_RetriesALostRace_UpToThreeAttempts(int attemptThatWins)
    {
        var users = new RacingRepository(lostWrites: attemptThatWins - 1);
        var service = new UserService(users, TimeProvider.System);

        var updated = await service.UpdateAsync(users.Stored.Id, Request, ifMatch: null, CancellationToken.None);

        Assert.That(users.WriteAttempts, Is.EqualTo(attemptThatWins));
        Assert.That(users.Reads, Is.EqualTo(attemptThatWins), "each attempt reads the user again");
        Assert.That(updated.Value.Email, Is.EqualTo("new@example.com"));
    }

    [Test]
    public async Task Unconditional_GivesUpAfterThreeLostRaces_With409()
    {
        var users = new RacingRepository(lostWrites: int.MaxValue);
        var service = new UserService(users, TimeProvider.System);

        var error = await Assert.ThrowsAsync<ConflictException>(() => service.UpdateAsync(users.Stored.Id, Request, ifMatch: null, CancellationToken.None));

        Assert.That(users.WriteAttempts, Is.EqualTo(3));
        Assert.That(error!.Message, Does.Contain("Retry"));
    }

    [Test]
    public async Task WithIfMatch_ALostRaceIs412_AtTheFirstAttempt()
    {
        var users = new RacingRepository(lostWrites: int.MaxValue);
        var service = new UserService(users, TimeProvider.System);

        await Assert.ThrowsAsync<PreconditionFailedException>(() => service.UpdateAsync(users.Stored.Id, Request, ifMatch: ["*"], CancellationToken.None));
        Assert.That(users.WriteAttempts, Is.EqualTo(1));
    }

    /// <summary>A repository whose first writes lose to a concurrent writer (the version no longer matches).</summary>
    private sealed class RacingRepository(int lostWrites) : IUserRepository
    {
        public User Stored { get; } = User.Create(
            EmailAddress.TryCreate("old@example.com", out _)!, UserName.TryCreate("Old", out _)!, DateTimeOffset.UtcNow);

        public int Reads { get; private set; }

        public int WriteAttempts { get; private set; }

        public Task<User?> FindAsync(Guid id, CancellationToken cancellationToken)
        {
            Reads++;
            return Task.FromResult<User?>(id == Stored.Id ? Stored : null);
        }

        public Task UpdateAsync(User user, CancellationToken cancellationToken)
        {
            WriteAttempts++;
            return WriteAttempts <= lostWrites
                ? Task.FromException(new PreconditionFailedException("The user was changed or deleted by another request."))
                : Task.CompletedTask;
        }

        public Task<IReadOnlyList<User>> ListAsync(KeysetPosition? after, int take, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task AddAsync(User user, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<User?> FindAsync(UserIdentity identity, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> DeleteAsync(UserIdentity identity, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
