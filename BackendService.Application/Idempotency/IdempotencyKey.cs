using System.Security.Cryptography;
using System.Text;
using BackendService.Domain.Errors;

namespace BackendService.Application.Idempotency;

/// <summary>
/// A client's <c>Idempotency-Key</c> for one request, within the caller's scope, with the
/// fingerprint of that request: SHA-256 of the method, the path and the body's raw bytes (a
/// retry sends the same bytes; a body re-encoded differently is a different request).
/// </summary>
public sealed record IdempotencyKey(string Scope, string Value, byte[] Fingerprint)
{
    public const string Header = "Idempotency-Key";

    public const int MaxLength = 255;

    /// <summary>The scope of every key while authentication is off: all callers are one.</summary>
    public const string OpenScope = "*";

    /// <summary>1 to 255 printable ASCII characters (a UUID is the usual choice); otherwise 400.</summary>
    public static IdempotencyKey Create(string scope, string? value, string method, string path, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength || value.Any(c => c is < '!' or > '~'))
        {
            throw new ValidationException(Header, $"The {Header} header must be 1 to {MaxLength} printable ASCII characters without spaces (a UUID, say).");
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{method} {path}\n"));
        hash.AppendData(body);
        return new IdempotencyKey(scope, value, hash.GetHashAndReset());
    }
}

/// <summary>The response first given for a key, kept to be given again byte for byte.</summary>
public sealed record StoredResponse(int Status, string? ContentType, string? Location, string? ETag, byte[] Body);

/// <summary>The key was used before with a different request: 422.</summary>
public sealed class IdempotencyKeyReusedException()
    : DomainException($"This {IdempotencyKey.Header} was used with a different request. Use a new key for a new request.");

/// <summary>A request with the same key is still being processed: 409, and retry shortly.</summary>
public sealed class IdempotentRequestInFlightException()
    : ConflictException($"A request with this {IdempotencyKey.Header} is still being processed. Retry shortly for its response.");
