using BackendService.Domain.Errors;
using Npgsql;

namespace BackendService.Infrastructure.Persistence;

/// <summary>
/// The writes of a request that holds them back to send them later in one batch with something
/// that must commit with them (an idempotent create: its insert and its stored answer, in one
/// round trip). Scoped to the request; holds nothing unless <see cref="Start"/> was called, and
/// each write then runs at once on its own pooled connection.
/// </summary>
internal sealed class HeldWrites
{
    private List<HeldWrite>? _held;

    public bool Holding => _held is not null;

    public void Start() => _held = [];

    public void Stop() => _held = null;

    /// <summary>
    /// Holds <paramref name="command"/> (only while <see cref="Holding"/>). A held write cannot
    /// answer, so it must need nothing back: its caller knows the outcome if it succeeds, and
    /// <paramref name="refusal"/> turns its failure into the answer, in the API's terms.
    /// </summary>
    public void Hold(NpgsqlBatchCommand command, Func<PostgresException, DomainException?> refusal)
    {
        if (_held is null)
        {
            throw new InvalidOperationException("This request does not hold its writes.");
        }

        _held.Add(new HeldWrite(command, refusal));
    }

    public IReadOnlyList<HeldWrite> Held => _held ?? [];
}

internal sealed record HeldWrite(NpgsqlBatchCommand Command, Func<PostgresException, DomainException?> Refusal);
