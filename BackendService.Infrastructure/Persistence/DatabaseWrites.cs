using Npgsql;

namespace BackendService.Infrastructure.Persistence;

/// <summary>
/// The one way a repository writes: one SQL statement, sent through Npgsql on the service's pool
/// (docs/decisions/004-reads-through-ef-writes-through-npgsql.md), with the table's declared
/// refusals as answers and an unreachable database as 503. While the request holds its writes
/// (an idempotent create, <see cref="HeldWrites"/>), a write that needs nothing back is held, to
/// go in one batch with the request's stored answer; a write that must answer cannot be held, and
/// is refused loudly rather than run outside that batch.
/// </summary>
internal sealed class DatabaseWrites(NpgsqlDataSource dataSource, HeldWrites heldWrites)
{
    /// <summary>Runs the write, or holds it while the request holds its writes. It must need nothing back: its caller knows the outcome if it succeeds.</summary>
    public async Task RunOrHoldAsync(string sql, Action<NpgsqlParameterCollection> bind, TableRefusals refusals, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bind);
        ArgumentNullException.ThrowIfNull(refusals);
        if (heldWrites.Holding)
        {
            var held = new NpgsqlBatchCommand(sql);
            bind(held.Parameters);
            heldWrites.Hold(held, refusals.RefusalOf);
            return;
        }

        await using var command = dataSource.CreateCommand(sql);
        bind(command.Parameters);
        await RunAsync(() => command.ExecuteNonQueryAsync(cancellationToken), refusals);
    }

    /// <summary>Runs a write that answers with the number of rows it touched (a delete, say).</summary>
    public async Task<int> RunAsync(string sql, Action<NpgsqlParameterCollection> bind, TableRefusals refusals, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bind);
        EnsureNotHolding();
        await using var command = dataSource.CreateCommand(sql);
        bind(command.Parameters);
        return await RunAsync(() => command.ExecuteNonQueryAsync(cancellationToken), refusals);
    }

    /// <summary>Runs a write that answers with one value (<c>RETURNING</c>); null when it touched no row.</summary>
    public async Task<T?> RunScalarAsync<T>(string sql, Action<NpgsqlParameterCollection> bind, TableRefusals refusals, CancellationToken cancellationToken)
        where T : struct
    {
        ArgumentNullException.ThrowIfNull(bind);
        EnsureNotHolding();
        await using var command = dataSource.CreateCommand(sql);
        bind(command.Parameters);
        return await RunAsync(async () => await command.ExecuteScalarAsync(cancellationToken) is T value ? value : (T?)null, refusals);
    }

    /// <summary>
    /// A write's failures in the terms of the API: a declared refusal, or an unavailable database
    /// (whether the write reached it is unknown then; the client is told to retry, and a retried
    /// create meets the unique index rather than duplicating).
    /// </summary>
    private static async Task<T> RunAsync<T>(Func<Task<T>> write, TableRefusals refusals)
    {
        ArgumentNullException.ThrowIfNull(refusals);
        try
        {
            return await DatabaseFailure.TranslateAsync(write);
        }
        catch (PostgresException ex) when (refusals.RefusalOf(ex) is { } refusal)
        {
            throw refusal;
        }
    }

    private void EnsureNotHolding()
    {
        if (heldWrites.Holding)
        {
            throw new InvalidOperationException(
                "This request holds its writes (an idempotent operation), and a write that must answer cannot be held: only writes that need nothing back (an insert with values known beforehand) may be made by an idempotent operation.");
        }
    }
}
