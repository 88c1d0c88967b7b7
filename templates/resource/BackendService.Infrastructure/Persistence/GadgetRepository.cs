using BackendService.Application.Gadgets;
using BackendService.Application.Paging;
using BackendService.Domain.Errors;
using BackendService.Domain.Gadgets;
using BackendService.Infrastructure.Persistence.Configurations;
using Npgsql;

namespace BackendService.Infrastructure.Persistence;

/// <summary>
/// Reads through EF Core (<see cref="VersionedReads{TEntity}"/>); writes are one SQL statement each, sent by
/// <see cref="DatabaseWrites"/> (docs/decisions/004-reads-through-ef-writes-through-npgsql.md).
/// </summary>
internal sealed class GadgetRepository(AppDbContext db, DatabaseWrites writes) : IGadgetRepository
{
    private static readonly TableRefusals Refusals = GadgetConfiguration.Refusals;

    public Task<Gadget?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        VersionedReads<Gadget>.FindAsync(db, id, cancellationToken);

    public Task<IReadOnlyList<Gadget>> ListAsync(KeysetPosition? after, int take, CancellationToken cancellationToken) =>
        VersionedReads<Gadget>.PageAsync(db, after, take, cancellationToken);

    // Needs nothing back (id, timestamps and version are the service's), so an idempotent create
    // can hold it and send it in one batch with its stored answer.
    public Task AddAsync(Gadget gadget, CancellationToken cancellationToken) => writes.RunOrHoldAsync(
        "INSERT INTO gadgets (id, name, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5)",
        p =>
        {
            p.Add(new NpgsqlParameter<Guid> { TypedValue = gadget.Id });
            p.Add(new NpgsqlParameter<string> { TypedValue = gadget.Name });
            p.Add(new NpgsqlParameter<DateTime> { TypedValue = gadget.CreatedAt });
            p.Add(new NpgsqlParameter<DateTime> { TypedValue = gadget.UpdatedAt });
            p.Add(new NpgsqlParameter<long> { TypedValue = gadget.Version });
        },
        Refusals,
        cancellationToken);

    public async Task UpdateAsync(Gadget gadget, CancellationToken cancellationToken)
    {
        // Conditional on the version that was read; the trigger moves the version.
        var version = await writes.RunScalarAsync<long>(
            "UPDATE gadgets SET name = $1, updated_at = $2 WHERE id = $3 AND version = $4 RETURNING version",
            p =>
            {
                p.Add(new NpgsqlParameter<string> { TypedValue = gadget.Name });
                p.Add(new NpgsqlParameter<DateTime> { TypedValue = gadget.UpdatedAt });
                p.Add(new NpgsqlParameter<Guid> { TypedValue = gadget.Id });
                p.Add(new NpgsqlParameter<long> { TypedValue = gadget.Version });
            },
            Refusals,
            cancellationToken);
        gadget.RecordStoredVersion(version ?? throw new PreconditionFailedException("The gadget was changed or deleted by another request."));
    }

    public async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken) =>
        await writes.RunAsync("DELETE FROM gadgets WHERE id = $1", p => p.Add(new NpgsqlParameter<Guid> { TypedValue = id }), Refusals, cancellationToken) > 0;
}
