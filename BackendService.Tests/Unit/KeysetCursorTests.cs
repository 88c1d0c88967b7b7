using BackendService.Application.Paging;
using BackendService.Domain.Errors;

namespace BackendService.Tests.Unit;

public sealed class KeysetCursorTests
{
    private static readonly KeysetCursor Users = new("users");
    private static readonly KeysetPosition Sample = new(new DateTime(2026, 11, 29, 23, 5, 40, DateTimeKind.Utc).AddTicks(1_234_560), Guid.CreateVersion7());

    [Test]
    public void RoundTrips()
    {
        var text = Users.Encode(Sample);

        Assert.That(Users.TryDecode(text, out var decoded), Is.True);
        Assert.That(decoded, Is.EqualTo(Sample));
        Assert.That(decoded.CreatedAt.Kind, Is.EqualTo(DateTimeKind.Utc));
    }

    [Test]
    public void IsUrlSafe()
    {
        Assert.That(Users.Encode(Sample), Does.Match("^[A-Za-z0-9_-]+$"));
    }

    [Test]
    public void IsBoundToTheListingItWasIssuedFor()
    {
        var orders = new KeysetCursor("orders");

        Assert.That(orders.TryDecode(Users.Encode(Sample), out _), Is.False, "a users cursor on the orders listing");
        Assert.That(Users.TryDecode(orders.Encode(Sample), out _), Is.False, "an orders cursor on the users listing");
        Assert.That(new KeysetCursor("users").TryDecode(Users.Encode(Sample), out _), Is.True, "the same listing in another instance (another replica)");
    }

    [Test]
    public void RejectsEverySingleCharacterEdit()
    {
        var text = Users.Encode(Sample);
        for (var i = 0; i < text.Length; i++)
        {
            var replacement = text[i] == 'A' ? 'B' : 'A';
            var edited = text[..i] + replacement + text[(i + 1)..];

            Assert.That(Users.TryDecode(edited, out _), Is.False, $"edit at position {i}: {edited}");
        }
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("zzz")]
    [TestCase("!!!!")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void RejectsGarbage(string? text)
    {
        Assert.That(Users.TryDecode(text, out _), Is.False);
    }

    [Test]
    public void RejectsTruncatedAndExtendedCursors()
    {
        var text = Users.Encode(Sample);

        Assert.That(Users.TryDecode(text[..^2], out _), Is.False);
        Assert.That(Users.TryDecode(text + "AA", out _), Is.False);
    }

    [TestCase(null, 50)]
    [TestCase(1, 1)]
    [TestCase(200, 200)]
    public void PageRequest_AcceptsLimitsInRange(int? limit, int expected)
    {
        Assert.That(PageRequest.Parse(limit, null, Users).Size, Is.EqualTo(expected));
    }

    [Test]
    public void PageRequest_ReportsABadLimitAndABadCursorTogether()
    {
        var error = Assert.Throws<ValidationException>(() => PageRequest.Parse(0, new KeysetCursor("orders").Encode(Sample), Users));

        Assert.That(error!.Errors.Keys, Is.EquivalentTo(new[] { "limit", "cursor" }));
        Assert.That(error.Errors["limit"][0], Is.EqualTo("Limit must be between 1 and 200."));
    }
}
