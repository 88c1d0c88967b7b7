using BackendService.Application.Paging;
using BackendService.Application.Users;
using BackendService.Domain.Errors;
using BackendService.Domain.Users;
using BackendService.Infrastructure.Persistence.Configurations;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BackendService.Infrastructure.Persistence;

/// <summary>
/// Reads go through EF Core (compiled queries); each write is one statement sent through
/// Npgsql on the same pool, because EF's SaveChanges (change tracking, batching, SQL built on
/// every call) was the largest cost left on POST and PUT (bench/RESULTS.md).
/// </summary>
internal sealed class UserRepository(AppDbContext db, NpgsqlDataSource dataSource) : IUserRepository
{
    // Reads are compiled once: EF skips translating the LINQ tree on every request.
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

    public async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken) =>
        await DatabaseFailure.TranslateAsync(() => db.Users.Where(u => u.Id == id).ExecuteDeleteAsync(cancellationToken)) > 0;

    public async Task AddAsync(User user, CancellationToken cancellationToken)
    {
        var version = await WriteAsync(
            UserWriteStatements.For(db.Model).Insert,
            cancellationToken,
            new NpgsqlParameter<Guid> { TypedValue = user.Id },
            new NpgsqlParameter<string> { TypedValue = user.Email },
            new NpgsqlParameter<string> { TypedValue = user.EmailKey },
            new NpgsqlParameter<string> { TypedValue = user.Name },
            new NpgsqlParameter<DateTime> { TypedValue = user.CreatedAt },
            new NpgsqlParameter<DateTime> { TypedValue = user.UpdatedAt });
        user.RecordStoredVersion(version ?? throw new InvalidOperationException("INSERT ... RETURNING gave no row."));
    }

    public async Task UpdateAsync(User user, CancellationToken cancellationToken)
    {
        // Conditional on the version that was read: a write that slipped in since then makes
        // this one match no row instead of being overwritten.
        var version = await WriteAsync(
            UserWriteStatements.For(db.Model).Update,
            cancellationToken,
            new NpgsqlParameter<string> { TypedValue = user.Email },
            new NpgsqlParameter<string> { TypedValue = user.EmailKey },
            new NpgsqlParameter<string> { TypedValue = user.Name },
            new NpgsqlParameter<DateTime> { TypedValue = user.UpdatedAt },
            new NpgsqlParameter<Guid> { TypedValue = user.Id },
            new NpgsqlParameter<uint> { TypedValue = user.Version, DataTypeName = "xid" });
        user.RecordStoredVersion(version ?? throw new PreconditionFailedException("The user was changed or deleted by another request."));
    }

    /// <summary>
    /// Runs one write statement whose positional parameters ($1, $2, …) are given in order and
    /// which returns the row's new version; null when it matched no row.
    /// </summary>
    private async Task<uint?> WriteAsync(string statement, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var command = dataSource.CreateCommand(statement);
        command.Parameters.AddRange(parameters);
        try
        {
            return await command.ExecuteScalarAsync(cancellationToken) is uint version ? version : null;
        }
        catch (PostgresException ex) when (ex is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: UserConfiguration.EmailUniqueIndex })
        {
            throw new ConflictException("A user with this email address already exists.");
        }
        catch (Exception ex) when (DatabaseFailure.IsUnavailable(ex))
        {
            // Whether the write reached the database is unknown; the client is told to retry,
            // and a retried create then meets the unique index rather than duplicating.
            throw DatabaseFailure.Unavailable(ex);
        }
    }
}
