using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace BackendService.Application.Paging;

/// <summary>A position in the keyset order (createdAt desc, id desc): the last item of a page.</summary>
public readonly record struct KeysetPosition(DateTime CreatedAt, Guid Id);

/// <summary>
/// The cursors of one resource's listing. On the wire a cursor is opaque: base64url of a version
/// byte, the timestamp, the id and a checksum salted with the resource's name. The checksum
/// catches edited or truncated cursors, and a cursor of another resource's listing (all answered
/// with 400); it is not a signature, and need not be one: any position a client could forge is a
/// position in a listing it may read anyway.
/// </summary>
public sealed class KeysetCursor
{
    private const byte FormatVersion = 1;
    private const int PayloadLength = 1 + sizeof(long) + 16;
    private const int ChecksumLength = 4;
    private const int EncodedLength = PayloadLength + ChecksumLength;
    private const int MaxSaltLength = 128;

    private readonly byte[] _salt;

    /// <param name="resource">The listing's name, as in its path ("orders"); a cursor is valid only for it.</param>
    public KeysetCursor(string resource)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(resource);
        _salt = Encoding.UTF8.GetBytes($"backendservice.{resource}.cursor.v1");
        if (_salt.Length > MaxSaltLength)
        {
            throw new ArgumentException("The resource name is too long for a cursor salt.", nameof(resource));
        }
    }

    public string Encode(KeysetPosition position)
    {
        Span<byte> bytes = stackalloc byte[EncodedLength];
        bytes[0] = FormatVersion;
        BinaryPrimitives.WriteInt64BigEndian(bytes[1..], position.CreatedAt.ToUniversalTime().Ticks);
        position.Id.TryWriteBytes(bytes[(1 + sizeof(long))..PayloadLength], bigEndian: true, out _);
        Checksum(bytes[..PayloadLength], bytes[PayloadLength..]);
        return Base64Url.EncodeToString(bytes);
    }

    public bool TryDecode(string? text, out KeysetPosition position)
    {
        position = default;
        if (string.IsNullOrEmpty(text) || text.Length > 64)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[48];
        // The OperationStatus form reports bad input instead of throwing on it.
        var status = Base64Url.DecodeFromChars(text, bytes, out _, out var written);
        if (status != OperationStatus.Done || written != EncodedLength || bytes[0] != FormatVersion)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[ChecksumLength];
        Checksum(bytes[..PayloadLength], expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, bytes[PayloadLength..EncodedLength]))
        {
            return false;
        }

        var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes[1..]);
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        position = new KeysetPosition(new DateTime(ticks, DateTimeKind.Utc), new Guid(bytes[(1 + sizeof(long))..PayloadLength], bigEndian: true));
        return true;
    }

    private void Checksum(ReadOnlySpan<byte> payload, Span<byte> destination)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> input = stackalloc byte[MaxSaltLength + PayloadLength];
        _salt.CopyTo(input);
        payload.CopyTo(input[_salt.Length..]);
        SHA256.HashData(input[..(_salt.Length + payload.Length)], hash);
        hash[..ChecksumLength].CopyTo(destination);
    }
}
