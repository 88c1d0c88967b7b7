using BackendService.Application.Paging;
using BackendService.Application.Users;
using BackendService.Domain.Errors;
using BackendService.Domain.Users;
using BackendService.Infrastructure.Persistence.Configurations;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BackendService.Infrastructure.Persistence;

internal sealed class UserRepository(AppDbContext db) : IUserRepository
{
    // The hot paths are compiled once: EF skips translating the LINQ tree on every request.
    private static readonly Func<AppDbContext, Guid, CancellationToken, Task<User?>> FindTracked =
        EF.CompileAsyncQuery((AppDbContext db, Guid id, CancellationToken _) => db.Users.FirstOrDefault(u => u.Id == id));

    private static readonly Func<AppDbContext, Guid, CancellationToken, Task<User?>> FindReadOnly =
        EF.CompileAsyncQuery((AppDbContext db, Guid id, CancellationToken _) => db.Users.AsNoTracking().FirstOrDefault(u => u.Id == id));

    private static readonly Func<AppDbContext, int, IAsyncEnumerable<User>> FirstPage =
        EF.CompileAsyncQuery((AppDbContext db, int take) => db.Users.AsNoTracking()
            .OrderByDescending(u => u.CreatedAt)
            .ThenByDescending(u => u.Id)
            .Take(take));

    // A row-value comparison, (created_at, id) < (@c, @id), matches the descending index
    // exactly, so every page is an index range scan however deep it is.
    private static readonly Func<AppDbContext, DateTime, Guid, int, IAsyncEnumerable<User>> NextPage =
        EF.CompileAsyncQuery((AppDbContext db, DateTime createdAt, Guid id, int take) => db.Users.AsNoTracking()
            .Where(u => EF.Functions.LessThan(ValueTuple.Create(u.CreatedAt, u.Id), ValueTuple.Create(createdAt, id)))
            .OrderByDescending(u => u.CreatedAt)
            .ThenByDescending(u => u.Id)
            .Take(take));

    public Task<User?> FindForUpdateAsync(Guid id, CancellationToken cancellationToken) =>
        DatabaseFailure.TranslateAsync(() => FindTracked(db, id, cancellationToken));

    public Task<User?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        DatabaseFailure.TranslateAsync(() => FindReadOnly(db, id, cancellationToken));

    public Task<IReadOnlyList<User>> ListAsync(UserCursor? after, int take, CancellationToken cancellationToken) =>
        DatabaseFailure.TranslateAsync(() => ListCoreAsync(after, take, cancellationToken));

    private async Task<IReadOnlyList<User>> ListCoreAsync(UserCursor? after, int take, CancellationToken cancellationToken)
    {
        var rows = after is { } cursor ? NextPage(db, cursor.CreatedAt, cursor.Id, take) : FirstPage(db, take);
        var users = new List<User>(take);
        await foreach (var user in rows.WithCancellation(cancellationToken))
        {
            users.Add(user);
        }

        return users;
    }

    public void Add(User user) => db.Users.Add(user);

    public async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken) =>
        await DatabaseFailure.TranslateAsync(() => db.Users.Where(u => u.Id == id).ExecuteDeleteAsync(cancellationToken)) > 0;

    public async Task SaveChangesAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The unit of work is void; forget it so a retry reads fresh rows.
            db.ChangeTracker.Clear();
            throw new PreconditionFailedException("The user was changed or deleted by another request.");
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: UserConfiguration.EmailUniqueIndex })
        {
            db.ChangeTracker.Clear();
            throw new ConflictException("A user with this email address already exists.");
        }
        catch (Exception ex) when (DatabaseFailure.IsUnavailable(ex))
        {
            // Whether the write reached the database is unknown; the client is told to retry,
            // and a retried create then meets the unique index rather than duplicating.
            db.ChangeTracker.Clear();
            throw DatabaseFailure.Unavailable(ex);
        }
    }
}
