namespace BackendService.Domain.Users;

/// <summary>A user's display name: trimmed, NFC, within its length limits, and only visible text.</summary>
public sealed record UserName
{
    private UserName(string value) => Value = value;

    public string Value { get; }

    /// <summary>The name, or null and a message for the API user saying what is wrong.</summary>
    public static UserName? TryCreate(string? raw, out string? error)
    {
        if (UserText.TryNormalize(raw, "Name", out error) is not { } normalized)
        {
            return null;
        }

        if (normalized.Length is < UserConstraints.NameMinLength or > UserConstraints.NameMaxLength)
        {
            error = $"Name must be between {UserConstraints.NameMinLength} and {UserConstraints.NameMaxLength} characters.";
            return null;
        }

        error = null;
        return new UserName(normalized);
    }

    public override string ToString() => Value;
}
