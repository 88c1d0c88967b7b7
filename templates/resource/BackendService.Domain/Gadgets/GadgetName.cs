using BackendService.Domain.Text;

namespace BackendService.Domain.Gadgets;

/// <summary>A gadget's name: trimmed, NFC, within its length limits, and only visible text (the sample field: replace it with yours).</summary>
public sealed record GadgetName
{
    private GadgetName(string value) => Value = value;

    public string Value { get; }

    /// <summary>The name, or null and a message for the API user saying what is wrong.</summary>
    public static GadgetName? TryCreate(string? raw, out string? error) =>
        VisibleText.TryNormalize(raw, "Name", GadgetConstraints.NameMinLength, GadgetConstraints.NameMaxLength, out error) is { } value
            ? new GadgetName(value)
            : null;

    public override string ToString() => Value;
}
