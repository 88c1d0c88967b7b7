using System.Net.Mail;
using BackendService.Domain.Errors;
using BackendService.Domain.Users;

namespace BackendService.Application.Users;

/// <summary>The email and name after validation: trimmed and within the contract's rules.</summary>
public readonly record struct ValidUserInput(string Email, string Name);

/// <summary>
/// Every validation rule of the Users contract, in one place. All broken rules are reported
/// together, keyed by the JSON property name, so a client can fix a form in one round trip.
/// </summary>
public static class UserInputValidator
{
    public const int DefaultPageSize = 50;
    public const int MinPageSize = 1;
    public const int MaxPageSize = 200;

    public static ValidUserInput Validate(string? email, string? name)
    {
        var errors = new Dictionary<string, string[]>();

        var trimmedEmail = email?.Trim();
        if (string.IsNullOrEmpty(trimmedEmail))
        {
            errors["email"] = ["Email is required."];
        }
        else if (trimmedEmail.Length > UserConstraints.EmailMaxLength)
        {
            errors["email"] = [$"Email must be at most {UserConstraints.EmailMaxLength} characters."];
        }
        else if (!IsValidEmail(trimmedEmail))
        {
            errors["email"] = ["Email must be a valid email address, like ann@example.com."];
        }

        var trimmedName = name?.Trim();
        if (string.IsNullOrEmpty(trimmedName))
        {
            errors["name"] = ["Name is required."];
        }
        else if (trimmedName.Length > UserConstraints.NameMaxLength)
        {
            errors["name"] = [$"Name must be between {UserConstraints.NameMinLength} and {UserConstraints.NameMaxLength} characters."];
        }

        if (errors.Count > 0)
        {
            throw new ValidationException(errors);
        }

        return new ValidUserInput(trimmedEmail!, trimmedName!);
    }

    public static int ValidatePageSize(int? limit)
    {
        var size = limit ?? DefaultPageSize;
        if (size is < MinPageSize or > MaxPageSize)
        {
            throw new ValidationException("limit", $"Limit must be between {MinPageSize} and {MaxPageSize}.");
        }

        return size;
    }

    /// <summary>
    /// A bare address (no display name, no comments, no whitespace) with a local part and a domain.
    /// MailAddress does the RFC 5322 parsing; we only insist it parsed to exactly the input.
    /// </summary>
    internal static bool IsValidEmail(string email)
    {
        if (email.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return false;
        }

        if (!MailAddress.TryCreate(email, out var address) || address.Address != email)
        {
            return false;
        }

        var at = email.LastIndexOf('@');
        var domain = email[(at + 1)..];
        return at > 0 && domain.Length > 0 && !domain.StartsWith('.') && !domain.EndsWith('.') && !domain.Contains("..", StringComparison.Ordinal);
    }
}
