using BackendService.Domain.Users;

namespace BackendService.Tests.Unit;

/// <summary>
/// Real people's names in many scripts, through the one home of the text rule
/// (Domain/Text/VisibleText, via <see cref="UserName"/>): the two joiners are accepted where they
/// join, every other invisible, format, bidi or control code point stays refused.
/// </summary>
public sealed class NameScriptsTests
{
    // ZWNJ and ZWJ written out, so that a reader sees where they are.
    private const string Zwnj = "\u200C";
    private const string Zwj = "\u200D";

    [TestCase("Persian", "حسین" + Zwnj + "زاده")]
    [TestCase("Persian", "می" + Zwnj + "خواهم")]
    [TestCase("Persian", "محمدرضا شجریان")]
    [TestCase("Kurdish", "به" + Zwnj + "ختیار")]
    [TestCase("Kurdish", "ئاسۆ کەریم")]
    [TestCase("Arabic", "عبد الرحمن")]
    [TestCase("Arabic", "فاطمة الزهراء")]
    [TestCase("Hebrew", "יוֹסֵף כהן")]
    [TestCase("Hebrew", "שרה")]
    [TestCase("Devanagari", "क्" + Zwj + "ष")]
    [TestCase("Devanagari", "क्" + Zwnj + "ष")]
    [TestCase("Devanagari", "अर्जुन शर्मा")]
    [TestCase("Malayalam", "കാര്" + Zwj + "ത്തിക്")]
    [TestCase("Malayalam", "മലയാളം")]
    [TestCase("CJK", "山田 太郎")]
    [TestCase("CJK", "王小明")]
    [TestCase("CJK", "김민준")]
    [TestCase("Emoji", "Ann 👩🏽" + Zwj + "💻")]
    [TestCase("Emoji", "👨" + Zwj + "👩" + Zwj + "👧" + Zwj + "👦 Smith")]
    [TestCase("Emoji", "Alex 🏳️" + Zwj + "🌈")]
    [TestCase("Thai", "สมชาย ใจดี")]
    [TestCase("Greek", "Ελένη Παπαδοπούλου")]
    [TestCase("Cyrillic", "Ёжик Туманов")]
    [TestCase("Latin", "Zoë Ångström-Núñez")]
    public void Accepts_ARealName(string script, string name)
    {
        var accepted = UserName.TryCreate(name, out var error);

        Assert.That(error, Is.Null, $"{script}: {name}");
        Assert.That(accepted!.Value, Is.EqualTo(name.Normalize(System.Text.NormalizationForm.FormC)), script);
    }

    [TestCase("bidi override", "Ann\u202Ecba", "U+202E")]
    [TestCase("bidi embedding", "Ann\u202Bx", "U+202B")]
    [TestCase("bidi isolate", "Ann \u2066x\u2069", "U+2066")]
    [TestCase("right-to-left mark", "Ann\u200Fx", "U+200F")]
    [TestCase("zero-width space", "An\u200Bn", "U+200B")]
    [TestCase("byte order mark", "\uFEFFAnn", "U+FEFF")]
    [TestCase("byte order mark inside", "An\uFEFFn", "U+FEFF")]
    [TestCase("word joiner", "An\u2060n", "U+2060")]
    [TestCase("joiner at the start", Zwj + "Ann", "U+200D")]
    [TestCase("joiner at the end", "Ann" + Zwnj, "U+200C")]
    [TestCase("Malayalam chillu at the end", "അവന്" + Zwj, "U+200D")]
    [TestCase("doubled joiner", "क्" + Zwj + Zwj + "ष", "U+200D")]
    [TestCase("joiner then non-joiner", "a" + Zwj + Zwnj + "b", "U+200D")]
    [TestCase("joiner beside a space", "Ann " + Zwj + "Smith", "U+200D")]
    [TestCase("joiner beside a bidi control", "a" + Zwj + "\u202Eb", "U+200D")]
    [TestCase("lone joiner", Zwj, "U+200D")]
    [TestCase("control", "An\u0007n", "U+0007")]
    [TestCase("non-character", "An\uFDD0n", "U+FDD0")]
    public void Refuses_AnInvisibleTrick(string trick, string name, string codePoint)
    {
        Assert.That(UserName.TryCreate(name, out var error), Is.Null, trick);
        Assert.That(error, Does.StartWith($"Name contains {codePoint}"), trick);
    }

    [Test]
    public void AnEmailAddress_RefusesEvenAJoiningJoiner_SoThatLookAlikeAddressesAreOneString()
    {
        Assert.That(EmailAddress.TryCreate("an" + Zwj + "n@example.com", out var error), Is.Null);
        Assert.That(error, Does.Contain("U+200D"));
    }
}
