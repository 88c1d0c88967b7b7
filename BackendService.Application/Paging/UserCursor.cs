using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;

namespace BackendService.Application.Paging;

/// <summary>
/// A position in the keyset order (createdAt desc, id desc): the last user of a page.
/// On the wire it is opaque: base64url of a version byte, the timestamp, the id and a
/// checksum. The checksum catches edited or truncated cursors (answered with 400); it is
/// not a signature, and need not be one: any position a client could forge is a position
/// in a listing it may read anyway.
/// </summary>
public readonly record struct UserCursor(DateTime CreatedAt, Guid Id)
{
    private const byte FormatVersion = 1;
    private const int PayloadLength = 1 + sizeof(long) + 16;
    private const int ChecksumLength = 4;
    private const int EncodedLength = PayloadLength + ChecksumLength;
    private static readonly byte[] ChecksumSalt = "backendservice.users.cursor.v1"u8.ToArray();

    public string Encode()
    {
        Span<byte> bytes = stackalloc byte[EncodedLength];
        bytes[0] = FormatVersion;
        BinaryPrimitives.WriteInt64BigEndian(bytes[1..], CreatedAt.ToUniversalTime().Ticks);
        Id.TryWriteBytes(bytes[(1 + sizeof(long))..PayloadLength], bigEndian: true, out _);
        Checksum(bytes[..PayloadLength], bytes[PayloadLength..]);
        return Base64Url.EncodeToString(bytes);
    }

    public static bool TryDecode(string? text, out UserCursor cursor)
    {
        cursor = default;
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

        cursor = new UserCursor(new DateTime(ticks, DateTimeKind.Utc), new Guid(bytes[(1 + sizeof(long))..PayloadLength], bigEndian: true));
        return true;
    }

    private static void Checksum(ReadOnlySpan<byte> payload, Span<byte> destination)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> input = stackalloc byte[ChecksumSalt.Length + PayloadLength];
        ChecksumSalt.CopyTo(input);
        payload.CopyTo(input[ChecksumSalt.Length..]);
        SHA256.HashData(input, hash);
        hash[..ChecksumLength].CopyTo(destination);
    }
}
