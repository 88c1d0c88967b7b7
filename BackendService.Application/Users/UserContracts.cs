namespace BackendService.Application.Users;

/// <summary>The body of <c>POST /api/v1/users</c>.</summary>
public sealed record CreateUserRequest
{
    /// <summary>A valid email address (length limit in the schema); unique regardless of case and Unicode spelling.</summary>
    /// <example>ann@example.com</example>
    public string? Email { get; init; }

    /// <summary>The display name, trimmed; visible text only (length limits in the schema).</summary>
    /// <example>Ann Example</example>
    public string? Name { get; init; }
}

/// <summary>The body of <c>PUT /api/v1/users/{id}</c>: the full new state of the user.</summary>
public sealed record UpdateUserRequest
{
    /// <summary>A valid email address (length limit in the schema); unique regardless of case and Unicode spelling.</summary>
    /// <example>ann@example.com</example>
    public string? Email { get; init; }

    /// <summary>The display name, trimmed; visible text only (length limits in the schema).</summary>
    /// <example>Ann Example</example>
    public string? Name { get; init; }
}

/// <summary>A user as the API returns it.</summary>
/// <param name="Id">The user's identifier.</param>
/// <param name="Email">The email address as given, trimmed and in Unicode NFC.</param>
/// <param name="Name">The display name, trimmed and in Unicode NFC.</param>
/// <param name="CreatedAt">When the user was created (UTC).</param>
/// <param name="UpdatedAt">When the user was last changed (UTC).</param>
public sealed record UserResponse(Guid Id, string Email, string Name, DateTime CreatedAt, DateTime UpdatedAt);
