using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BackendService.Application.Gadgets;
using BackendService.Tests.Support;

namespace BackendService.Tests.Gadgets;

/// <summary>The Gadgets API as a client calls it: one method per operation, the path in one place.</summary>
internal sealed class GadgetsApi(HttpClient client)
{
    public const string Path = "/api/v1/gadgets";

    public static string PathOf<TId>(TId id) => $"{Path}/{id}";

    public async Task<HttpResponseMessage> CreateAsync(object body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        return await client.SendAsync(request);
    }

    public async Task<HttpResponseMessage> GetAsync<TId>(TId id, string? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, PathOf(id));
        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }

        return await client.SendAsync(request);
    }

    /// <param name="query">The query string, with its <c>?</c>, or empty.</param>
    public Task<HttpResponseMessage> ListAsync(string query = "") => client.GetAsync(Path + query);

    public async Task<HttpResponseMessage> UpdateAsync<TId>(TId id, object body, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, PathOf(id)) { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await client.SendAsync(request);
    }

    public Task<HttpResponseMessage> DeleteAsync<TId>(TId id) => client.DeleteAsync(PathOf(id));
}

/// <summary>Base of the Gadgets tests: the typed client and a way to make a gadget.</summary>
public abstract class GadgetsTest : ApiTest
{
    private protected GadgetsApi Gadgets => new(Client);

    protected async Task<(GadgetResponse Gadget, string ETag)> CreateGadgetAsync(string name = "Blue one")
    {
        using var response = await Gadgets.CreateAsync(new { name });
        await ExpectStatusAsync(response, HttpStatusCode.Created);
        return ((await response.Content.ReadFromJsonAsync<GadgetResponse>(Json))!, response.Headers.ETag!.ToString());
    }
}

/// <summary>A gadget as answered keeps the rules of its value objects (for the fuzz test over every operation).</summary>
internal sealed class GadgetRules : IResourceRules
{
    public string CollectionPath => GadgetsApi.Path;

    public string? Violation(JsonElement representation)
    {
        var given = representation.GetProperty("name").GetString();
        var name = Domain.Gadgets.GadgetName.TryCreate(given, out var error);
        return name is null ? $"breaks a rule ({error})" : name.Value == given ? null : "is not as the value objects make it";
    }
}
