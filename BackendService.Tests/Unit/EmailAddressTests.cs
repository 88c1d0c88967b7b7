using BackendService.Domain.Users;

namespace BackendService.Tests.Unit;

public sealed class EmailAddressTests
{
    [TestCase("ann@example.com")]
    [TestCase("first.last+tag@sub.example.co.uk")]
    [TestCase("josé@bücher.example")]
    public void Accepts_ABareAddress_AsWritten(string raw)
    {
        Assert.That(Valid(raw).Value, Is.EqualTo(raw));
    }

    [TestCase("plainaddress")]
    [TestCase("@example.com")]
    [TestCase("ann@")]
    [TestCase("ann example@example.com")]
    [TestCase("Ann <ann@example.com>")]
    [TestCase("ann@example..com")]
    [TestCase("ann@.example.com")]
    [TestCase("ann@exa_mple.com")]
    [TestCase("ann@[127.0.0.1]")]
    public void Refuses_WhatIsNotABareAddressWithAHostName(string raw)
    {
        Assert.That(Error(raw), Is.EqualTo("Email must be a valid email address, like ann@example.com."));
    }

    [TestCase("nul\u0000@x.io", "U+0000")]
    [TestCase("u\u200bni@x.io", "U+200B")]
    [TestCase("ann\u202e@x.io", "U+202E")]
    [TestCase("ann\u0085@x.io", "U+0085")]
    [TestCase("ann\ufeff@x.io", "U+FEFF")]
    [TestCase("ann\uffff@x.io", "U+FFFF")]
    public void Refuses_ControlInvisibleAndNonCharacters_NamingTheCodePoint(string raw, string codePoint)
    {
        Assert.That(Error(raw), Does.StartWith("Email contains " + codePoint));
    }

    [Test]
    public void Refuses_AnUnpairedSurrogate()
    {
        Assert.That(Error("ann\ud800@x.io"), Does.Contain("unpaired UTF-16 surrogate"));
    }

    [Test]
    public void NfcAndNfdSpellings_AreOneValueAndOneKey()
    {
        var composed = Valid("\u00e9@x.io");
        var decomposed = Valid("e\u0301@x.io");

        Assert.That(decomposed.Value, Is.EqualTo("\u00e9@x.io"));
        Assert.That(decomposed.Key, Is.EqualTo(composed.Key));
    }

    [TestCase("Ann@Example.COM", "ann@example.com")]
    [TestCase("ÉCOLE@x.io", "école@x.io")]
    [TestCase("ann@BÜCHER.example", "ann@xn--bcher-kva.example")]
    [TestCase("ann@bücher.example", "ann@xn--bcher-kva.example")]
    [TestCase("ann@xn--bcher-kva.example", "ann@xn--bcher-kva.example")]
    [TestCase("ΣΟΦΊΑ@x.io", "σοφία@x.io")]
    [TestCase("ſam@x.io", "sam@x.io")]
    public void Key_FoldsCase_AndComparesTheDomainInIdnaAscii(string raw, string key)
    {
        Assert.That(Valid(raw).Key, Is.EqualTo(key));
    }

    [Test]
    public void Key_KeepsDottedAndDotlessI_ApartFromI()
    {
        var keys = new[] { "ınfo@x.io", "INFO@x.io", "İnfo@x.io", "info@x.io" }.Select(raw => Valid(raw).Key).ToList();

        Assert.That(keys, Is.EqualTo(new[] { "ınfo@x.io", "info@x.io", "i̇nfo@x.io".Normalize(), "info@x.io" }).Or.EqualTo(new[] { "ınfo@x.io", "info@x.io", "İnfo@x.io", "info@x.io" }));
        Assert.That(keys.Distinct().Count(), Is.EqualTo(3), "ınfo, İnfo and info are three accounts; INFO is info");
    }

    [Test]
    public void Length_IsCountedAfterTrimmingAndNfc()
    {
        var exactly254 = new string('a', 64) + "@" + new string('b', 60) + "." + new string('c', 60) + "." + new string('d', 59) + ".example";
        Assert.That(exactly254, Has.Length.EqualTo(UserConstraints.EmailMaxLength));

        Assert.That(Valid("  " + exactly254 + "  ").Value, Is.EqualTo(exactly254));
        Assert.That(Error("a" + exactly254), Is.EqualTo($"Email must be at most {UserConstraints.EmailMaxLength} characters."));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase(" \t ")]
    public void IsRequired(string? raw)
    {
        Assert.That(Error(raw), Is.EqualTo("Email is required."));
    }

    private static EmailAddress Valid(string raw)
    {
        var email = EmailAddress.TryCreate(raw, out var error);
        Assert.That(error, Is.Null);
        return email!;
    }

    private static string? Error(string? raw)
    {
        Assert.That(EmailAddress.TryCreate(raw, out var error), Is.Null);
        return error;
    }
}
