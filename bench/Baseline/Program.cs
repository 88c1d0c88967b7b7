using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Npgsql;

// The baseline: the same four endpoints, the same SQL and the same JSON as the service, with
// nothing else (no EF, no validation library, no logging, no ProblemDetails). The Npgsql
// settings are the service's (see DATABASE_URL below).
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.UseUrls($"http://0.0.0.0:{Environment.GetEnvironmentVariable("PORT") ?? "8081"}");
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, BaselineJson.Default));

// DATABASE_URL is the service's own Npgsql settings, built by the harness (pool, timeouts,
// preparation, no session reset on return): used as given, nothing added here.
await using var db = NpgsqlDataSource.Create(Environment.GetEnvironmentVariable("DATABASE_URL")!);

var app = builder.Build();

const string Columns = "id, email, email_key, name, created_at, updated_at, version, identity_issuer, identity_subject";

app.MapGet("/health/ready", () => Results.Text("""{"status":"ok"}""", "application/json"));

// The service marks every API answer private (personal data): the same header here.
app.Use((http, next) =>
{
    if (http.Request.Path.StartsWithSegments("/api"))
    {
        http.Response.Headers.CacheControl = "private, no-cache";
    }

    return next(http);
});

app.MapGet("/api/v1/users/{id:guid}", async (Guid id, HttpContext http) =>
{
    await using var command = db.CreateCommand($"SELECT {Columns} FROM users WHERE id = $1 LIMIT 1");
    command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
    await using var reader = await command.ExecuteReaderAsync();
    if (!await reader.ReadAsync())
    {
        return Results.NotFound();
    }

    http.Response.Headers.ETag = ETag(reader.GetFieldValue<long>(6));
    return Results.Json(Read(reader), BaselineJson.Default.User);
});

app.MapGet("/api/v1/users", async (int? limit, HttpContext http) =>
{
    var take = limit ?? 50;
    await using var command = db.CreateCommand($"SELECT {Columns} FROM users ORDER BY created_at DESC, id DESC LIMIT $1");
    command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = take + 1 });
    var users = new List<User>(take + 1);
    await using (var reader = await command.ExecuteReaderAsync())
    {
        while (await reader.ReadAsync())
        {
            users.Add(Read(reader));
        }
    }

    if (users.Count > take)
    {
        users.RemoveAt(take);
        var last = users[^1];
        var cursor = new byte[24];
        BitConverter.TryWriteBytes(cursor, last.CreatedAt.Ticks);
        last.Id.TryWriteBytes(cursor.AsSpan(8));
        http.Response.Headers.Link = $"</api/v1/users?limit={take}&cursor={Base64Url.EncodeToString(cursor)}>; rel=\"next\"";
    }

    return Results.Json(users, BaselineJson.Default.ListUser);
});

app.MapPost("/api/v1/users", async (UserInput input, HttpContext http) =>
{
    if (string.IsNullOrWhiteSpace(input.Email) || !input.Email.Contains('@', StringComparison.Ordinal) || string.IsNullOrWhiteSpace(input.Name))
    {
        return Results.BadRequest();
    }

    var now = Now();
    var id = Guid.CreateVersion7();
    await using var command = db.CreateCommand("INSERT INTO users (id, email, email_key, name, created_at, updated_at, version, identity_issuer, identity_subject) VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8)");
    command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
    command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = input.Email.Trim() });
    command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = EmailKey(input.Email) });
    command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = input.Name.Trim() });
    command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = now });
    command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = 1 });
    command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = null });
    command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = null });
    try
    {
        await command.ExecuteNonQueryAsync();
        http.Response.Headers.ETag = ETag(1);
        return Results.Created($"/api/v1/users/{id}", new User(id, input.Email.Trim(), input.Name.Trim(), now, now, false));
    }
    catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
    {
        return Results.Conflict();
    }
});

app.MapPut("/api/v1/users/{id:guid}", async (Guid id, UserInput input, HttpContext http) =>
{
    if (string.IsNullOrWhiteSpace(input.Email) || !input.Email.Contains('@', StringComparison.Ordinal) || string.IsNullOrWhiteSpace(input.Name))
    {
        return Results.BadRequest();
    }

    // The service's two statements: read the current row (existence, version), then a write
    // conditional on that version.
    await using var connection = await db.OpenConnectionAsync();
    DateTime createdAt;
    long version;
    bool bound;
    await using (var select = new NpgsqlCommand($"SELECT {Columns} FROM users WHERE id = $1 LIMIT 1", connection))
    {
        select.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        await using var reader = await select.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return Results.NotFound();
        }

        createdAt = reader.GetFieldValue<DateTime>(4);
        version = reader.GetFieldValue<long>(6);
        bound = !reader.IsDBNull(8);
    }

    var now = Now();
    await using var update = new NpgsqlCommand("UPDATE users SET email = $1, email_key = $2, name = $3, updated_at = $4 WHERE id = $5 AND version = $6 RETURNING version", connection);
    update.Parameters.Add(new NpgsqlParameter<string> { TypedValue = input.Email.Trim() });
    update.Parameters.Add(new NpgsqlParameter<string> { TypedValue = EmailKey(input.Email) });
    update.Parameters.Add(new NpgsqlParameter<string> { TypedValue = input.Name.Trim() });
    update.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = now });
    update.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
    update.Parameters.Add(new NpgsqlParameter<long> { TypedValue = version });
    try
    {
        var newVersion = await update.ExecuteScalarAsync();
        if (newVersion is null)
        {
            return Results.Conflict();
        }

        http.Response.Headers.ETag = ETag((long)newVersion);
        return Results.Json(new User(id, input.Email.Trim(), input.Name.Trim(), createdAt, now, bound), BaselineJson.Default.User);
    }
    catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
    {
        return Results.Conflict();
    }
});

await app.RunAsync();

static User Read(NpgsqlDataReader reader) =>
    new(reader.GetGuid(0), reader.GetString(1), reader.GetString(3), reader.GetFieldValue<DateTime>(4), reader.GetFieldValue<DateTime>(5), !reader.IsDBNull(8));

// The service's email key for the ASCII addresses the benchmark sends; like its validation, the
// floor does not do the service's Unicode work (NFC, IDNA) on other text.
static string EmailKey(string email) => email.Trim().ToLowerInvariant();

static string ETag(long version) => string.Create(CultureInfo.InvariantCulture, $"\"{version}\"");

static DateTime Now()
{
    var ticks = DateTime.UtcNow.Ticks;
    return new DateTime(ticks - (ticks % TimeSpan.TicksPerMicrosecond), DateTimeKind.Utc);
}

internal sealed record User(Guid Id, string Email, string Name, DateTime CreatedAt, DateTime UpdatedAt, bool BoundToIdentity);

internal sealed record UserInput(string? Email, string? Name);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(User))]
[JsonSerializable(typeof(List<User>), TypeInfoPropertyName = "ListUser")]
[JsonSerializable(typeof(UserInput))]
internal sealed partial class BaselineJson : JsonSerializerContext;
