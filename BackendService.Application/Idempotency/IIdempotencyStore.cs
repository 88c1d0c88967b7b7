using BackendService.Domain.Errors;

namespace BackendService.Application.Idempotency;

/// <summary>Where keys and the responses they were answered with are kept (across replicas).</summary>
public interface IIdempotencyStore
{
    /// <summary>
    /// Claims <paramref name="key"/> for this request: from now until the claim is completed or
    /// disposed, the request's writes are held, to be sent with its answer in one transaction.
    /// Touches no database: whether the key was answered before is learnt when completing.
    /// </summary>
    IIdempotencyClaim Claim(IdempotencyKey key);
}

/// <summary>An open claim on a key; disposing it uncompleted drops the request's held writes.</summary>
public interface IIdempotencyClaim : IAsyncDisposable
{
    /// <summary>
    /// Sends the held writes and stores <paramref name="response"/> for the key, all or nothing.
    /// Returns <see cref="ClaimCompletion.Stored"/>, or the answer stored earlier for the same
    /// request (to replay; nothing written), or a held write's refusal (its error is the answer,
    /// to be completed with in turn; nothing written). Throws
    /// <see cref="IdempotencyKeyReusedException"/> when the key was answered for another request,
    /// <see cref="IdempotentRequestInFlightException"/> while another request with it is in the
    /// database.
    /// </summary>
    Task<ClaimCompletion> CompleteAsync(StoredResponse response, CancellationToken cancellationToken);
}

/// <summary>How completing a claim ended (see <see cref="IIdempotencyClaim.CompleteAsync"/>).</summary>
public sealed record ClaimCompletion(StoredResponse? Earlier, DomainException? Refused)
{
    public static readonly ClaimCompletion Stored = new(null, null);
}
