using System.Text.Json;
using BackendService.Api.Controllers;

namespace BackendService.Tests.Gadgets;

/// <summary>What the served OpenAPI document says of the Gadgets operations (the checks every operation gets are in Frontend/OpenApiDocumentTests).</summary>
public sealed class GadgetsDocumentTests : GadgetsTest
{
    [Test]
    public async Task GadgetsOperations_HaveTheirIdsScopesAndStatuses_AndSpeakOfGadgetsOnly()
    {
        using var document = JsonDocument.Parse(await Client.GetStringAsync("/swagger/v1/swagger.json"));
        var paths = document.RootElement.GetProperty("paths");
        var expected = new Dictionary<(string Path, string Method), (string OperationId, string Scope, string[] Statuses)>
        {
            [(GadgetsApi.Path, "post")] = ("createGadget", GadgetScopes.Write, ["201", "400", "401", "403", "409", "413", "415", "422", "429", "500", "503", "504"]),
            [(GadgetsApi.Path, "get")] = ("listGadgets", GadgetScopes.Read, ["200", "400", "401", "403", "429", "500", "503", "504"]),
            [(GadgetsApi.Path + "/{id}", "get")] = ("getGadget", GadgetScopes.Read, ["200", "304", "400", "401", "403", "404", "429", "500", "503", "504"]),
            [(GadgetsApi.Path + "/{id}", "put")] = ("updateGadget", GadgetScopes.Write, ["200", "400", "401", "403", "404", "412", "413", "415", "429", "500", "503", "504"]),
            [(GadgetsApi.Path + "/{id}", "delete")] = ("deleteGadget", GadgetScopes.Write, ["204", "400", "401", "403", "404", "429", "500", "503", "504"]),
        };

        using (Assert.EnterMultipleScope())
        {
            foreach (var ((path, method), (operationId, scope, statuses)) in expected)
            {
                var operation = paths.GetProperty(path).GetProperty(method);
                Assert.That(operation.GetProperty("operationId").GetString(), Is.EqualTo(operationId));
                Assert.That(operation.GetProperty("responses").EnumerateObject().Select(r => r.Name), Is.EquivalentTo(statuses), operationId);
                Assert.That(operation.GetProperty("description").GetString(), Does.Contain($"`{scope}`"), operationId);
                Assert.That(operation.GetRawText(), Does.Contain("gadget").IgnoreCase.And.Not.Contain("user").IgnoreCase, $"{operationId} speaks of gadgets only");
            }

            Assert.That(paths.GetProperty(GadgetsApi.Path).GetProperty("post").GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()), Does.Contain("Idempotency-Key"));
        }
    }
}
