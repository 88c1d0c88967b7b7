using System.ComponentModel.DataAnnotations;
using BackendService.Domain.Users;

namespace BackendService.Application.Users;

// The attributes state the rules for the OpenAPI schema, from the same constants the value
// objects check; the value objects are what enforces them (MVC's attribute validation is off).

/// <summary>The body of <c>POST /api/v1/users</c>.</summary>
public sealed record CreateUserRequest
{
    /// <summary>A valid email address; unique regardless of case and Unicode spelling.</summary>
    /// <example>ann@example.com</example>
    [Required]
    [EmailAddress]
    [MaxLength(UserConstraints.EmailMaxLength)]
    public string? Email { get; init; }

    /// <summary>The display name, trimmed; visible text only.</summary>
    /// <example>Ann Example</example>
    [Required]
    [StringLength(UserConstraints.NameMaxLength, MinimumLength = UserConstraints.NameMinLength)]
    public string? Name { get; init; }
}

/// <summary>The body of <c>PUT /api/v1/users/{id}</c>: the full new state of the user.</summary>
public sealed record UpdateUserRequest
{
    /// <summary>A valid email address; unique regardless of case and Unicode spelling.</summary>
    /// <example>ann@example.com</example>
    [Required]
    [EmailAddress]
    [MaxLength(UserConstraints.EmailMaxLength)]
    public string? Email { get; init; }

    /// <summary>The display name, trimmed; visible text only.</summary>
    /// <example>Ann Example</example>
    [Required]
    [StringLength(UserConstraints.NameMaxLength, MinimumLength = UserConstraints.NameMinLength)]
    public string? Name { get; init; }
}

/// <summary>A user as the API returns it.</summary>
public sealed record UserResponse
{
    /// <summary>The user's identifier.</summary>
    /// <example>0195f3c2-7b4e-7a51-9f1e-3c2a1b0d4e5f</example>
    public required Guid Id { get; init; }

    /// <summary>The email address as given, trimmed and in Unicode NFC.</summary>
    /// <example>ann@example.com</example>
    [EmailAddress]
    [MaxLength(UserConstraints.EmailMaxLength)]
    public required string Email { get; init; }

    /// <summary>The display name, trimmed and in Unicode NFC.</summary>
    /// <example>Ann Example</example>
    [StringLength(UserConstraints.NameMaxLength, MinimumLength = UserConstraints.NameMinLength)]
    public required string Name { get; init; }

    /// <summary>When the user was created (UTC).</summary>
    /// <example>2026-11-29T23:05:40.123456Z</example>
    public required DateTime CreatedAt { get; init; }

    /// <summary>When the user was last changed (UTC).</summary>
    /// <example>2026-11-29T23:05:40.123456Z</example>
    public required DateTime UpdatedAt { get; init; }

    /// <summary>Whether the record belongs to a person's identity (they created it at <c>/api/v1/users/me</c>); which identity is never shown.</summary>
    /// <example>false</example>
    public required bool BoundToIdentity { get; init; }
}
