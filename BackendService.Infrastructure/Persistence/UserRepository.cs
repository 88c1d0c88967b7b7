using BackendService.Application.Paging;
using BackendService.Application.Users;
using BackendService.Domain.Errors;
using BackendService.Domain.Users;
using BackendService.Infrastructure.Persistence.Configurations;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BackendService.Infrastructure.Persistence;

/// <summary>
/// Reads go through EF Core (<see cref="VersionedReads{TEntity}"/>: compiled queries, entities materialised by the model); writes are
/// one SQL statement each, written out here beside their parameters and sent by
/// <see cref="DatabaseWrites"/> (docs/decisions/004-reads-through-ef-writes-through-npgsql.md says why).
/// </summary>
#if (ha)
internal sealed class UserRepository(AppDbContext db, DatabaseWrites writes, StandbyReads standbyReads) : IUserRepository
#else
internal sealed class UserRepository(AppDbContext db, DatabaseWrites writes) : IUserRepository
#endif
{
    private static readonly TableRefusals Refusals = UserConfiguration.Refusals;

    public Task<User?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        VersionedReads<User>.FindAsync(db, id, cancellationToken);

    // The identity's index (ux_users_identity) answers it.
    private static readonly Func<AppDbContext, string, string, CancellationToken, Task<User?>> FindByIdentity =
        EF.CompileAsyncQuery((AppDbContext db, string issuer, string subject, CancellationToken _) =>
            db.Users.AsNoTracking().FirstOrDefault(u => u.IdentityIssuer == issuer && u.IdentitySubject == subject));

    public Task<User?> FindAsync(UserIdentity identity, CancellationToken cancellationToken) =>
        DatabaseFailure.TranslateAsync(() => FindByIdentity(db, identity.Issuer, identity.Subject, cancellationToken));

#if (ha)
    public async Task<IReadOnlyList<User>> ListAsync(KeysetPosition? after, int take, CancellationToken cancellationToken)
    {
        // On a standby when Database:ListFromStandbys says so; get by id stays on the primary.
        await using var standby = standbyReads.CreateContext();
        return await VersionedReads<User>.PageAsync(standby ?? db, after, take, cancellationToken);
    }
#else
    public Task<IReadOnlyList<User>> ListAsync(KeysetPosition? after, int take, CancellationToken cancellationToken) =>
        VersionedReads<User>.PageAsync(db, after, take, cancellationToken);
#endif

    public async Task<bool> DeleteAsync(UserIdentity identity, CancellationToken cancellationToken) =>
        await writes.RunAsync(
            "DELETE FROM users WHERE identity_issuer = $1 AND identity_subject = $2",
            p =>
            {
                p.Add(new NpgsqlParameter<string> { TypedValue = identity.Issuer });
                p.Add(new NpgsqlParameter<string> { TypedValue = identity.Subject });
            },
            Refusals,
            cancellationToken) > 0;

    public async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken) =>
        await writes.RunAsync("DELETE FROM users WHERE id = $1", p => p.Add(new NpgsqlParameter<Guid> { TypedValue = id }), Refusals, cancellationToken) > 0;

    // Needs nothing back (the id, the timestamps and the version are the service's), so an
    // idempotent create can hold it and send it in one batch with its stored answer.
    public Task AddAsync(User user, CancellationToken cancellationToken) => writes.RunOrHoldAsync(
        "INSERT INTO users (id, email, email_key, name, created_at, updated_at, version, identity_issuer, identity_subject) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        p =>
        {
            p.Add(new NpgsqlParameter<Guid> { TypedValue = user.Id });
            p.Add(new NpgsqlParameter<string> { TypedValue = user.Email });
            p.Add(new NpgsqlParameter<string> { TypedValue = user.EmailKey });
            p.Add(new NpgsqlParameter<string> { TypedValue = user.Name });
            p.Add(new NpgsqlParameter<DateTime> { TypedValue = user.CreatedAt });
            p.Add(new NpgsqlParameter<DateTime> { TypedValue = user.UpdatedAt });
            p.Add(new NpgsqlParameter<long> { TypedValue = user.Version });
            p.Add(new NpgsqlParameter<string?> { TypedValue = user.IdentityIssuer });
            p.Add(new NpgsqlParameter<string?> { TypedValue = user.IdentitySubject });
        },
        Refusals,
        cancellationToken);

    public async Task UpdateAsync(User user, CancellationToken cancellationToken)
    {
        // Conditional on the version that was read: a write that slipped in since then makes
        // this one match no row instead of being overwritten.
        var version = await writes.RunScalarAsync<long>(
            "UPDATE users SET email = $1, email_key = $2, name = $3, updated_at = $4 WHERE id = $5 AND version = $6 RETURNING version",
            p =>
            {
                p.Add(new NpgsqlParameter<string> { TypedValue = user.Email });
                p.Add(new NpgsqlParameter<string> { TypedValue = user.EmailKey });
                p.Add(new NpgsqlParameter<string> { TypedValue = user.Name });
                p.Add(new NpgsqlParameter<DateTime> { TypedValue = user.UpdatedAt });
                p.Add(new NpgsqlParameter<Guid> { TypedValue = user.Id });
                p.Add(new NpgsqlParameter<long> { TypedValue = user.Version });
            },
            Refusals,
            cancellationToken);
        user.RecordStoredVersion(version ?? throw new PreconditionFailedException("The user was changed or deleted by another request."));
    }
}
