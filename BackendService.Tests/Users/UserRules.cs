using System.Text.Json;
using BackendService.Domain.Users;
using BackendService.Tests.Support;

namespace BackendService.Tests.Users;

/// <summary>A user as answered keeps the rules of <see cref="EmailAddress"/> and <see cref="UserName"/>, exactly as the value objects make it.</summary>
internal sealed class UserRules : IResourceRules
{
    public string CollectionPath => UsersApi.Path;

    public string? Violation(JsonElement representation)
    {
        var email = EmailAddress.TryCreate(representation.GetProperty("email").GetString(), out var emailError);
        var name = UserName.TryCreate(representation.GetProperty("name").GetString(), out var nameError);
        if (emailError is not null || nameError is not null)
        {
            return $"breaks a rule ({emailError ?? nameError})";
        }

        return (email!.Value, name!.Value) == (representation.GetProperty("email").GetString(), representation.GetProperty("name").GetString())
            ? null
            : "is not as the value objects make it";
    }
}
