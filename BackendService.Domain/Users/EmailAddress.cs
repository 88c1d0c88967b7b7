using System.Globalization;
using System.Net.Mail;
using BackendService.Domain.Text;

namespace BackendService.Domain.Users;

/// <summary>
/// An email address: <see cref="Value"/> as the user wrote it (trimmed, NFC), and
/// <see cref="Key"/>, the form two addresses are compared in. Two addresses are one account
/// when their keys are equal: the local part case-folded (each character upper-cased, then
/// lower-cased, by the invariant culture: <c>Ann</c>, <c>ANN</c> and <c>ann</c> are one,
/// while the dotless <c>ı</c> and the dotted <c>İ</c> stay letters of their own, as Unicode's
/// default case folding has it), the domain in its IDNA ASCII form, lower case. The key is
/// computed here, never by the database, so every PostgreSQL gives the same answer whatever
/// its locale.
/// </summary>
public sealed record EmailAddress
{
    private EmailAddress(string value, string key)
    {
        Value = value;
        Key = key;
    }

    public string Value { get; }

    public string Key { get; }

    /// <summary>The address, or null and a message for the API user saying what is wrong.</summary>
    public static EmailAddress? TryCreate(string? raw, out string? error)
    {
        if (VisibleText.TryNormalize(raw, "Email", out error, joiners: false) is not { } value)
        {
            return null;
        }

        if (value.Length > UserConstraints.EmailMaxLength)
        {
            error = $"Email must be at most {UserConstraints.EmailMaxLength} characters.";
            return null;
        }

        if (!TrySplit(value, out var localPart, out var domain) || ToAsciiDomain(domain) is not { } asciiDomain)
        {
            error = "Email must be a valid email address, like ann@example.com.";
            return null;
        }

        error = null;
        var foldedLocalPart = VisibleText.ToNormalizationFormC(localPart.ToUpperInvariant().ToLowerInvariant());
        return new EmailAddress(value, $"{foldedLocalPart}@{asciiDomain}");
    }

    public override string ToString() => Value;

    /// <summary>
    /// A bare address (no display name, comment or whitespace) with a local part and a domain.
    /// MailAddress does the RFC 5322 parsing; we insist it parsed to exactly the input.
    /// </summary>
    private static bool TrySplit(string value, out string localPart, out string domain)
    {
        localPart = domain = string.Empty;
        if (value.Any(char.IsWhiteSpace) || !MailAddress.TryCreate(value, out var parsed) || parsed.Address != value)
        {
            return false;
        }

        var at = value.LastIndexOf('@');
        localPart = value[..at];
        domain = value[(at + 1)..];
        return at > 0 && domain.Length > 0;
    }

    private static string? ToAsciiDomain(string domain)
    {
        try
        {
            // Also refuses empty labels ("a..b", ".a", "a.") and labels over 63 characters.
            // STD3 rules: letters, digits and hyphens per label, as in DNS host names. A new
            // mapping per call: IdnMapping does not promise that its instances are thread-safe.
            return new IdnMapping { UseStd3AsciiRules = true }.GetAscii(domain).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
