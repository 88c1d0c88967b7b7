using System.Globalization;
using System.Text;

namespace BackendService.Domain.Text;

/// <summary>
/// What every text a person gives goes through: trimmed, refused when it holds a character that
/// people cannot see or PostgreSQL cannot store, and put in Unicode normalisation form C, so
/// that the same visible text is always the same string.
/// </summary>
public static class VisibleText
{
    // Normalize() silently returns its input when the runtime has no ICU
    // (InvariantGlobalization): two spellings of "é" would then be two accounts.
    private static readonly bool NormalizationWorks = "e\u0301".Normalize(NormalizationForm.FormC) == "\u00e9";

    /// <summary>
    /// The text trimmed and in NFC; or null, with <paramref name="error"/> saying why for the API
    /// user (it starts with <paramref name="label"/>): missing, or holding a refused character.
    /// </summary>
    public static string? TryNormalize(string? raw, string label, out string? error)
    {
        var trimmed = raw?.Trim();
        error = string.IsNullOrEmpty(trimmed) ? $"{label} is required."
            : FindUnacceptableCharacter(trimmed) is { } problem ? $"{label} {problem}."
            : null;
        return error is null ? ToNormalizationFormC(trimmed!) : null;
    }

    /// <summary>As <see cref="TryNormalize(string?, string, out string?)"/>, and between <paramref name="minLength"/> and <paramref name="maxLength"/> characters once normalised.</summary>
    public static string? TryNormalize(string? raw, string label, int minLength, int maxLength, out string? error)
    {
        if (TryNormalize(raw, label, out error) is not { } normalized)
        {
            return null;
        }

        if (normalized.Length < minLength || normalized.Length > maxLength)
        {
            error = $"{label} must be between {minLength} and {maxLength} characters.";
            return null;
        }

        return normalized;
    }

    /// <summary>NFC; also for text derived from already normalised text (case folding can leave it unnormalised).</summary>
    public static string ToNormalizationFormC(string text)
    {
        if (!NormalizationWorks)
        {
            throw new InvalidOperationException(
                "Unicode normalisation is not available in this process (InvariantGlobalization is on, or ICU is missing); user text cannot be compared safely.");
        }

        return text.Normalize(NormalizationForm.FormC);
    }

    private static string? FindUnacceptableCharacter(string text)
    {
        for (var i = 0; i < text.Length;)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return $"contains an unpaired UTF-16 surrogate (U+{(int)text[i]:X4}), which is not text";
            }

            if (IsRefused(rune))
            {
                return $"contains U+{rune.Value:X4}, a control, invisible formatting or non-character code point";
            }

            i += consumed;
        }

        return null;
    }

    // C0 and C1 controls (NUL included: PostgreSQL cannot store it), format characters such as
    // zero-width spaces and bidi overrides, line and paragraph separators, and the code points
    // Unicode reserves as non-characters.
    private static bool IsRefused(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
        || rune.Value is >= 0xFDD0 and <= 0xFDEF
        || (rune.Value & 0xFFFE) == 0xFFFE;
}
