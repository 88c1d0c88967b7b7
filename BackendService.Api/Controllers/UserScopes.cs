using BackendService.Api.Security;

namespace BackendService.Api.Controllers;

/// <summary>The scopes of the Users API.</summary>
public static class UserScopes
{
    [ApiScope("Read users: get one, list them.")]
    public const string Read = "users:read";

    [ApiScope("Change users: create, update, delete.")]
    public const string Write = "users:write";
}
