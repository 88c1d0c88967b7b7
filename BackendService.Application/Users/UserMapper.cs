using BackendService.Application.Versioning;
using BackendService.Domain.Users;
using Riok.Mapperly.Abstractions;

namespace BackendService.Application.Users;

/// <summary>Entity to response mapping, generated at compile time by Mapperly (no reflection at run time).</summary>
[Mapper]
internal static partial class UserMapper
{
    // The version travels in the ETag header, not in the body; the email key is for comparing only.
    [MapperIgnoreSource(nameof(User.Version))]
    [MapperIgnoreSource(nameof(User.EmailKey))]

    // Whose identity it is stays in the database; whether there is one is shown.
    [MapperIgnoreSource(nameof(User.IdentityIssuer))]
    [MapperIgnoreSource(nameof(User.IdentitySubject))]
    [MapProperty(nameof(User.IsBound), nameof(UserResponse.BoundToIdentity))]
    public static partial UserResponse ToResponse(this User user);

    public static Versioned<UserResponse> ToVersioned(this User user) => new(user.ToResponse(), EntityTag.For(user));
}
