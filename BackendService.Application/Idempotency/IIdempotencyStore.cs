namespace BackendService.Application.Idempotency;

/// <summary>Where keys and the responses they were answered with are kept (across replicas).</summary>
public interface IIdempotencyStore
{
    /// <summary>
    /// Claims <paramref name="key"/> for this request. Returns the stored response when the key
    /// was answered before for the same request; throws <see cref="IdempotencyKeyReusedException"/>
    /// when it was answered for another, <see cref="IdempotentRequestInFlightException"/> while
    /// another request holds it. Otherwise returns an open claim: the request's writes join its
    /// transaction, and <see cref="IIdempotencyClaim.CompleteAsync"/> stores the response and
    /// commits both together; disposing it uncompleted rolls both back.
    /// </summary>
    Task<IdempotencyLookup> ClaimAsync(IdempotencyKey key, CancellationToken cancellationToken);
}

/// <summary>Either the response stored for the key, or the claim to answer it now.</summary>
public sealed record IdempotencyLookup(StoredResponse? Stored, IIdempotencyClaim? Claim);

/// <summary>An open claim on a key: one database transaction until completed or disposed.</summary>
public interface IIdempotencyClaim : IAsyncDisposable
{
    Task CompleteAsync(StoredResponse response, CancellationToken cancellationToken);
}
