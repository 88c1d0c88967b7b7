using System.Text.Json;
using BackendService.Api.Controllers;

namespace BackendService.Tests.Users;

/// <summary>What the served OpenAPI document says of the Users operations in particular (the checks every operation gets are in Frontend/OpenApiDocumentTests).</summary>
public sealed class UsersDocumentTests : UsersTest
{
    [Test]
    public async Task UsersOperations_HaveTheirIdsScopesAndTheContractsStatuses()
    {
        var paths = (await DocumentAsync()).GetProperty("paths");
        var expected = new Dictionary<(string Path, string Method), (string OperationId, string Scope, string[] Statuses)>
        {
            [(UsersApi.Path, "post")] = ("createUser", UserScopes.Write, ["201", "400", "401", "403", "409", "413", "415", "422", "429", "500", "503", "504"]),
            [(UsersApi.Path, "get")] = ("listUsers", UserScopes.Read, ["200", "400", "401", "403", "429", "500", "503", "504"]),
            [(UsersApi.Path + "/{id}", "get")] = ("getUser", UserScopes.Read, ["200", "304", "400", "401", "403", "404", "429", "500", "503", "504"]),
            [(UsersApi.Path + "/{id}", "put")] = ("updateUser", UserScopes.Write, ["200", "400", "401", "403", "404", "409", "412", "413", "415", "429", "500", "503", "504"]),
            [(UsersApi.Path + "/{id}", "delete")] = ("deleteUser", UserScopes.Write, ["204", "400", "401", "403", "404", "429", "500", "503", "504"]),
            [(UsersApi.Path + "/me", "post")] = ("createMyUser", UserScopes.Self, ["201", "400", "401", "403", "409", "413", "415", "422", "429", "500", "503", "504"]),
            [(UsersApi.Path + "/me", "get")] = ("getMyUser", UserScopes.Self, ["200", "304", "401", "403", "404", "429", "500", "503", "504"]),
            [(UsersApi.Path + "/me", "put")] = ("updateMyUser", UserScopes.Self, ["200", "400", "401", "403", "404", "409", "412", "413", "415", "429", "500", "503", "504"]),
            [(UsersApi.Path + "/me", "delete")] = ("deleteMyUser", UserScopes.Self, ["204", "401", "403", "404", "429", "500", "503", "504"]),
        };

        using (Assert.EnterMultipleScope())
        {
            foreach (var ((path, method), (operationId, scope, statuses)) in expected)
            {
                var operation = paths.GetProperty(path).GetProperty(method);
                Assert.That(operation.GetProperty("operationId").GetString(), Is.EqualTo(operationId));
                Assert.That(operation.GetProperty("responses").EnumerateObject().Select(r => r.Name), Is.EquivalentTo(statuses), operationId);
                Assert.That(operation.GetProperty("description").GetString(), Does.Contain($"`{scope}`"), operationId);
            }
        }
    }

    [Test]
    public async Task UserSchemas_StateFormatsLimitsAndExamples_FromTheSameConstantsAsTheRules()
    {
        var document = await DocumentAsync();
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var response = schemas.GetProperty("UserResponse");
        var request = schemas.GetProperty("CreateUserRequest");
        var create = document.GetProperty("paths").GetProperty(UsersApi.Path).GetProperty("post");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.GetProperty("required").EnumerateArray().Select(e => e.GetString()), Is.EquivalentTo(new[] { "id", "email", "name", "createdAt", "updatedAt", "boundToIdentity" }));
            Assert.That(response.GetProperty("properties").GetProperty("id").GetProperty("format").GetString(), Is.EqualTo("uuid"));
            Assert.That(response.GetProperty("properties").GetProperty("email").GetProperty("format").GetString(), Is.EqualTo("email"));
            Assert.That(response.GetProperty("properties").GetProperty("createdAt").GetProperty("format").GetString(), Is.EqualTo("date-time"));
            Assert.That(response.GetProperty("properties").GetProperty("email").TryGetProperty("nullable", out _), Is.False, "never null");
            Assert.That(request.GetProperty("required").EnumerateArray().Select(e => e.GetString()), Is.EquivalentTo(new[] { "email", "name" }));
            Assert.That(request.GetProperty("properties").GetProperty("email").GetProperty("maxLength").GetInt32(), Is.EqualTo(Domain.Users.UserConstraints.EmailMaxLength));
            Assert.That(request.GetProperty("properties").GetProperty("name").GetProperty("maxLength").GetInt32(), Is.EqualTo(Domain.Users.UserConstraints.NameMaxLength));
            Assert.That(request.GetProperty("properties").GetProperty("name").GetProperty("minLength").GetInt32(), Is.EqualTo(Domain.Users.UserConstraints.NameMinLength));

            var responses = create.GetProperty("responses");
            Assert.That(responses.GetProperty("201").GetProperty("content").GetProperty("application/json").GetProperty("example").GetProperty("email").GetString(), Is.EqualTo("ann@example.com"));
            Assert.That(responses.GetProperty("400").GetProperty("content").GetProperty("application/problem+json").GetProperty("example").GetProperty("errors").TryGetProperty("email", out _), Is.True);
            Assert.That(responses.GetProperty("409").GetProperty("content").GetProperty("application/problem+json").GetProperty("example").GetProperty("detail").GetString(), Does.Contain("email address already exists"));
            Assert.That(create.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example").GetProperty("name").GetString(), Is.EqualTo("Ann Example"));
        }
    }

    private async Task<JsonElement> DocumentAsync() =>
        JsonDocument.Parse(await Client.GetStringAsync("/swagger/v1/swagger.json")).RootElement.Clone();
}
