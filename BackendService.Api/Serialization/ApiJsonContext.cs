using System.Text.Json;
using System.Text.Json.Serialization;
using BackendService.Application.Users;

namespace BackendService.Api.Serialization;

/// <summary>
/// Compile-time JSON metadata for the request and response bodies, so System.Text.Json does
/// not build it by reflection. Anything not listed here falls back to the reflection resolver.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CreateUserRequest))]
[JsonSerializable(typeof(UpdateUserRequest))]
[JsonSerializable(typeof(UserResponse))]
[JsonSerializable(typeof(IReadOnlyList<UserResponse>))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
