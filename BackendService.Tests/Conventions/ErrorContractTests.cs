using System.Net;
using System.Net.Http.Json;
using BackendService.Tests.Users;

namespace BackendService.Tests.Conventions;

/// <summary>Every error is ProblemDetails with type, title, status, instance and the request's trace id.</summary>
public sealed class ErrorContractTests : UsersTest
{
    [Test]
    public async Task UnknownRoute_Returns404ProblemDetails()
    {
        using var response = await Client.GetAsync("/no/such/route");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var problem = await ExpectProblemAsync(response);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(problem.GetProperty("type").GetString(), Does.StartWith("https://"));
            Assert.That(problem.GetProperty("title").GetString(), Is.Not.Empty);
            Assert.That(problem.GetProperty("status").GetInt32(), Is.EqualTo(404));
            Assert.That(problem.GetProperty("instance").GetString(), Is.EqualTo("/no/such/route"));
            Assert.That(problem.GetProperty("traceId").GetString(), Does.Match("^[0-9a-f]{32}$"));
        }
    }

    [Test]
    public async Task TraceId_IsTheCallersW3CTraceId()
    {
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{UsersPath}/{Guid.NewGuid()}");
        request.Headers.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");

        using var response = await Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var problem = await ExpectProblemAsync(response);
        Assert.That(problem.GetProperty("traceId").GetString(), Is.EqualTo(traceId));
    }

    [Test]
    public async Task ValidationProblem_CarriesTraceIdAndInstance()
    {
        using var response = await Client.PostAsJsonAsync(UsersPath, new { email = "x", name = "y" });

        var problem = await ExpectProblemAsync(response);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(problem.GetProperty("status").GetInt32(), Is.EqualTo(400));
            Assert.That(problem.GetProperty("instance").GetString(), Is.EqualTo(UsersPath));
            Assert.That(problem.GetProperty("traceId").GetString(), Does.Match("^[0-9a-f]{32}$"));
            Assert.That(problem.GetProperty("type").GetString(), Does.StartWith("https://"));
        }
    }

    [Test]
    public async Task MethodNotAllowed_IsProblemDetails()
    {
        using var response = await Client.PatchAsync(UsersPath, null);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        await ExpectProblemAsync(response);
    }

    [Test]
    public async Task Responses_CarryNoSniff()
    {
        using var response = await Client.GetAsync(UsersPath);

        Assert.That(response.Headers.GetValues("X-Content-Type-Options"), Is.EqualTo(new[] { "nosniff" }));
    }
}
