using System.Net.Http.Json;

namespace BackendService.Tests.Users;

/// <summary>The Users API as a client calls it: one method per operation over an HttpClient, the path in one place.</summary>
internal sealed class UsersApi(HttpClient client)
{
    public const string Path = "/api/v1/users";

    public static string PathOf<TId>(TId id) => $"{Path}/{id}";

    public Task<HttpResponseMessage> CreateAsync(object body, CancellationToken cancellationToken = default) =>
        client.PostAsJsonAsync(Path, body, cancellationToken);

    /// <summary>A create with an <c>Idempotency-Key</c>.</summary>
    public async Task<HttpResponseMessage> CreateAsync(object body, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        return await client.SendAsync(request, cancellationToken);
    }

    public Task<HttpResponseMessage> GetAsync<TId>(TId id) => client.GetAsync(PathOf(id));

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
