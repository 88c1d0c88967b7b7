namespace BackendService.Api.Security;

/// <summary>The scopes the API knows: the policies, the OpenAPI document and the tests all read these.</summary>
public static class Scopes
{
    public const string UsersRead = "users:read";

    public const string UsersWrite = "users:write";

    public static IReadOnlyDictionary<string, string> Descriptions { get; } = new Dictionary<string, string>
    {
        [UsersRead] = "Read users: get one, list them.",
        [UsersWrite] = "Change users: create, update, delete.",
    };
}
