using BackendService.Api.Security;

namespace BackendService.Api.Controllers;

/// <summary>The scopes of the Users API.</summary>
public static class UserScopes
{
    [ApiScope("Read users: get one, list them.")]
    public const string Read = "users:read";

    [ApiScope("Change users: create, update, delete.")]
    public const string Write = "users:write";

    [ApiScope("An end user's own record, and nothing else: create, read, update and delete it at /api/v1/users/me.")]
    public const string Self = "users:self";
}
