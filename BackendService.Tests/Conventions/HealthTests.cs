using System.Net;
using BackendService.Tests.Support;
using BackendService.Tests.Users;

namespace BackendService.Tests.Conventions;

public sealed class HealthTests : ApiTest
{
    [TestCase("/health/live")]
    [TestCase("/health/ready")]
    [TestCase("/health")]
    public async Task Returns200Ok_WhenDatabaseAnswers(string path)
    {
        using var response = await Client.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("""{"status":"ok"}"""));
    }

    [TestCase("/health/live")]
    [TestCase("/health/ready")]
    [TestCase("/health")]
    public async Task AnswersGetAndHeadOnly_OtherMethodsAre405ProblemDetailsWithAllow(string path)
    {
        using var head = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));
        Assert.That(head.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        foreach (var method in new[] { HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch, HttpMethod.Options })
        {
            using var response = await Client.SendAsync(new HttpRequestMessage(method, path));

            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed), $"{method} {path}");
            Assert.That(response.Content.Headers.Allow, Is.EquivalentTo(new[] { "GET", "HEAD" }), $"{method} {path}");
            Assert.That((await ExpectProblemAsync(response)).GetProperty("status").GetInt32(), Is.EqualTo(405));
        }
    }

    [Test]
    public async Task SwaggerUiAndDocument_AreServed()
    {
        using var ui = await Client.GetAsync("/swagger/index.html");
        using var document = await Client.GetAsync("/swagger/v1/swagger.json");

        Assert.That(ui.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(document.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var json = await document.Content.ReadAsStringAsync();
        Assert.That(json, Does.Contain(UsersApi.Path + "/{id}"));
        Assert.That(json, Does.Contain("\"412\""));
    }
}
