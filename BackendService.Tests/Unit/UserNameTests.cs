using BackendService.Domain.Users;

namespace BackendService.Tests.Unit;

public sealed class UserNameTests
{
    [TestCase("  Ann  ", "Ann")]
    [TestCase("Zoë Ånström", "Zoë Ånström")]
    [TestCase("山田 太郎", "山田 太郎")]
    [TestCase("Ann 👩🏽‍💻", "Ann 👩🏽‍💻")]
    public void Accepts_VisibleText_Trimmed(string raw, string expected)
    {
        Assert.That(UserName.TryCreate(raw, out _)?.Value, Is.EqualTo(expected));
    }

    [Test]
    public void IsStoredInNfc()
    {
        Assert.That(UserName.TryCreate("Zoe\u0308", out _)?.Value, Is.EqualTo("Zo\u00eb"));
    }

    [TestCase("a\u0000b", "U+0000")]
    [TestCase("a\tb", "U+0009")]
    [TestCase("a\u0007b", "U+0007")]
    [TestCase("a\u009bb", "U+009B")]
    [TestCase("a\u200bb", "U+200B")]
    [TestCase("a\u202eb", "U+202E")]
    [TestCase("a\u2066b", "U+2066")]
    [TestCase("a\u2028b", "U+2028")]
    [TestCase("a\ufdd0b", "U+FDD0")]
    public void Refuses_ControlInvisibleAndNonCharacters(string raw, string codePoint)
    {
        Assert.That(UserName.TryCreate(raw, out var error), Is.Null);
        Assert.That(error, Does.StartWith("Name contains " + codePoint));
    }

    [Test]
    public void Refuses_AnUnpairedSurrogate()
    {
        Assert.That(UserName.TryCreate("a\udc00b", out var error), Is.Null);
        Assert.That(error, Does.Contain("unpaired UTF-16 surrogate"));
    }

    [Test]
    public void Length_IsBetweenTheLimits_AfterTrimming()
    {
        var longest = new string('n', UserConstraints.NameMaxLength);

        Assert.That(UserName.TryCreate($"  {longest}  ", out _)?.Value, Is.EqualTo(longest));
        Assert.That(UserName.TryCreate(longest + "n", out var error), Is.Null);
        Assert.That(error, Is.EqualTo($"Name must be between {UserConstraints.NameMinLength} and {UserConstraints.NameMaxLength} characters."));
        Assert.That(UserName.TryCreate("   ", out var blank), Is.Null);
        Assert.That(blank, Is.EqualTo("Name is required."));
    }
}
