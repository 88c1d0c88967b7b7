using BackendService.Domain.Text;

namespace BackendService.Domain.Users;

/// <summary>A user's display name: trimmed, NFC, within its length limits, and only visible text.</summary>
public sealed record UserName
{
    private UserName(string value) => Value = value;

    public string Value { get; }

    /// <summary>The name, or null and a message for the API user saying what is wrong.</summary>
    public static UserName? TryCreate(string? raw, out string? error) =>
        VisibleText.TryNormalize(raw, "Name", UserConstraints.NameMinLength, UserConstraints.NameMaxLength, out error) is { } value
            ? new UserName(value)
            : null;

    public override string ToString() => Value;
}
