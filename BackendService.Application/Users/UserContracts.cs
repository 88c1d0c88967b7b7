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

/// <summary>A user together with the entity tag of its current version.</summary>
public sealed record VersionedUser(UserResponse User, string ETag);

/// <summary>One page of the user listing.</summary>
/// <param name="Items">The users on this page, newest first.</param>
/// <param name="Limit">The page size that was applied.</param>
/// <param name="NextCursor">Where the next page starts, or null on the last page.</param>
public sealed record UserPage(IReadOnlyList<UserResponse> Items, int Limit, string? NextCursor);
