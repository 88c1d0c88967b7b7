using BackendService.Application.Paging;

namespace BackendService.Tests.Unit;

public sealed class UserCursorTests
{
    private static readonly UserCursor Sample = new(new DateTime(2026, 11, 29, 23, 5, 40, DateTimeKind.Utc).AddTicks(1_234_560), Guid.CreateVersion7());

    [Test]
    public void RoundTrips()
    {
        var text = Sample.Encode();

        Assert.That(UserCursor.TryDecode(text, out var decoded), Is.True);
        Assert.That(decoded, Is.EqualTo(Sample));
        Assert.That(decoded.CreatedAt.Kind, Is.EqualTo(DateTimeKind.Utc));
    }

    [Test]
    public void IsUrlSafe()
    {
        Assert.That(Sample.Encode(), Does.Match("^[A-Za-z0-9_-]+$"));
    }

    [Test]
    public void RejectsEverySingleCharacterEdit()
    {
        var text = Sample.Encode();
        for (var i = 0; i < text.Length; i++)
        {
            var replacement = text[i] == 'A' ? 'B' : 'A';
            var edited = text[..i] + replacement + text[(i + 1)..];

            Assert.That(UserCursor.TryDecode(edited, out _), Is.False, $"edit at position {i}: {edited}");
        }
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("zzz")]
    [TestCase("!!!!")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void RejectsGarbage(string? text)
    {
        Assert.That(UserCursor.TryDecode(text, out _), Is.False);
    }

    [Test]
    public void RejectsTruncatedAndExtendedCursors()
    {
        var text = Sample.Encode();

        Assert.That(UserCursor.TryDecode(text[..^2], out _), Is.False);
        Assert.That(UserCursor.TryDecode(text + "AA", out _), Is.False);
    }
}
