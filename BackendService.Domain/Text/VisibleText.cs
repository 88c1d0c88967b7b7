using System.Globalization;
using System.Text;

namespace BackendService.Domain.Text;

/// <summary>
/// What every text a person gives goes through: trimmed, refused when it holds a character that
/// people cannot see or PostgreSQL cannot store, and put in Unicode normalisation form C, so
/// that the same visible text is always the same string. The two joiners are the exception, where
/// they join: U+200C ZERO WIDTH NON-JOINER and U+200D ZERO WIDTH JOINER are part of ordinary
/// Persian and Kurdish words, of Indic conjuncts and chillus, and of emoji sequences; they are
/// accepted between two visible characters (not doubled, not at either end). Every other
/// format, control, bidi and non-character code point stays refused.
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
    /// <param name="raw">What the person sent.</param>
    /// <param name="label">The field's name in the message ("Name").</param>
    /// <param name="error">Why it was refused, or null.</param>
    /// <param name="joiners">Whether ZWJ and ZWNJ are accepted where they join (names); an identifier such as an email address refuses them, so two addresses that look alike are one string.</param>
    public static string? TryNormalize(string? raw, string label, out string? error, bool joiners = true)
    {
        var trimmed = raw?.Trim();
        error = string.IsNullOrEmpty(trimmed) ? $"{label} is required."
            : FindUnacceptableCharacter(trimmed, joiners) is { } problem ? $"{label} {problem}."
            : null;
        return error is null ? ToNormalizationFormC(trimmed!) : null;
    }

    /// <summary>As <see cref="TryNormalize(string?, string, out string?, bool)"/>, and between <paramref name="minLength"/> and <paramref name="maxLength"/> characters once normalised.</summary>
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

    private const int ZeroWidthNonJoiner = 0x200C;
    private const int ZeroWidthJoiner = 0x200D;

    private static string? FindUnacceptableCharacter(string text, bool joiners)
    {
        for (var i = 0; i < text.Length;)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return $"contains an unpaired UTF-16 surrogate (U+{(int)text[i]:X4}), which is not text";
            }

            if (joiners && rune.Value is ZeroWidthNonJoiner or ZeroWidthJoiner)
            {
                if (!Joins(text, i, consumed))
                {
                    return $"contains U+{rune.Value:X4}, a joiner that joins nothing there (it belongs between two visible characters, once)";
                }
            }
            else if (IsRefused(rune))
            {
                return $"contains U+{rune.Value:X4}, a control, invisible formatting or non-character code point";
            }

            i += consumed;
        }

        return null;
    }

    /// <summary>The joiner at <paramref name="index"/> has a visible character on each side: not an end, a space, another joiner or any other format character.</summary>
    private static bool Joins(string text, int index, int length) =>
        Rune.DecodeLastFromUtf16(text.AsSpan(0, index), out var before, out _) == System.Buffers.OperationStatus.Done
        && Rune.DecodeFromUtf16(text.AsSpan(index + length), out var after, out _) == System.Buffers.OperationStatus.Done
        && IsVisible(before)
        && IsVisible(after);

    private static bool IsVisible(Rune rune) =>
        !IsRefused(rune) && !Rune.IsWhiteSpace(rune) && Rune.GetUnicodeCategory(rune) != UnicodeCategory.SpaceSeparator;

    // C0 and C1 controls (NUL included: PostgreSQL cannot store it), format characters such as
    // zero-width spaces and bidi overrides, line and paragraph separators, and the code points
    // Unicode reserves as non-characters.
    private static bool IsRefused(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
        || rune.Value is >= 0xFDD0 and <= 0xFDEF
        || (rune.Value & 0xFFFE) == 0xFFFE;
}
