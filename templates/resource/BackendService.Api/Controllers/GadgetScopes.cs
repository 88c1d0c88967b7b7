using BackendService.Api.Security;

namespace BackendService.Api.Controllers;

/// <summary>The scopes of the Gadgets API.</summary>
public static class GadgetScopes
{
    [ApiScope("Read gadgets: get one, list them.")]
    public const string Read = "gadgets:read";

    [ApiScope("Change gadgets: create, update, delete.")]
    public const string Write = "gadgets:write";
}
