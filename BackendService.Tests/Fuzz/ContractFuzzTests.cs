using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BackendService.Domain.Text;
using BackendService.Tests.Support;
using CsCheck;

namespace BackendService.Tests.Fuzz;

/// <summary>
/// Generated requests to every operation of the served OpenAPI document, through the real
/// pipeline on PostgreSQL: bodies built from each operation's request schema with strings from
/// every Unicode category, odd numbers, duplicate and case-variant keys, deep nesting and
/// garbage; any path placeholder filled with an existing id or a bad one; random query strings,
/// methods and headers. Whatever comes in, the service never answers 500, every error body is
/// ProblemDetails, a created resource reads back exactly as it was answered, every text it
/// answers is visible text in NFC, and every resource keeps its own rules (<see cref="IResourceRules"/>).
/// Knows no resource: a new one is fuzzed as soon as it is in the document.
/// <para>
/// The cases are deterministic: case i is generated from seed FUZZ_SEED + i (default below), so
/// CI runs the same FUZZ_CASES (default 500) every time; set both for a longer or different run.
/// A failing case is shrunk by CsCheck, starting from its own seed, and the failure names that
/// seed (replay it with CsCheck_Seed) and the smallest failing request it found.
/// </para>
/// </summary>
public sealed partial class ContractFuzzTests : ApiTest
{
    private const ulong DefaultSeed = 20261201;
    private const int DefaultCases = 500;
    private const int ShrinkIterations = 2_000;
    private const string Existing = "{existing}";

    private readonly Dictionary<string, string> _existing = [];
    private IReadOnlyList<Operation> _operations = [];

    [Test]
    public async Task AnyRequest_ToAnyDocumentedOperation_NeverGets500_ErrorsAreProblemDetails_AndResourcesKeepTheirRules()
    {
        var seed = ulong.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), CultureInfo.InvariantCulture, out var s) ? s : DefaultSeed;
        var cases = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_CASES"), CultureInfo.InvariantCulture, out var c) ? c : DefaultCases;
        _operations = await DocumentedOperationsAsync();
        foreach (var collection in _operations.Select(o => o.Collection).Distinct())
        {
            await EnsureExistingAsync(collection);
        }

        var requests = Requests(_operations);
        var statuses = new SortedDictionary<int, int>();
        var tried = new HashSet<string>();
        for (var i = 0; i < cases; i++)
        {
            var pcg = new PCG(1, seed + (ulong)i);
            var caseSeed = pcg.ToString();
            var request = requests.Generate(pcg, null, out _);
            try
            {
                var status = await SendAndCheckAsync(request);
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
                if (request.Operation is { } operation && status is not (404 or 405))
                {
                    tried.Add(operation);
                }
            }
            catch (Exception ex) when (ex is PropertyViolation or JsonException or KeyNotFoundException or InvalidOperationException or HttpRequestException)
            {
                await requests.SampleAsync(
                    async r => await SendAndCheckAsync(r),
                    seed: caseSeed,
                    iter: ShrinkIterations,
                    threads: 1,
                    print: Print);
                throw; // Shrinking did not reproduce it (a state-dependent failure): report the case as it was.
            }
        }

        TestContext.Out.WriteLine($"fuzz: {cases} cases from seed {seed} over {_operations.Count} operations; statuses {string.Join(", ", statuses.Select(p => $"{p.Key}: {p.Value}"))}");
        Assert.That(statuses.Keys, Has.Some.InRange(200, 299), "some generated requests succeed, so answered resources were checked");
        Assert.That(tried, Is.SupersetOf(_operations.Select(o => o.Key)), "every documented operation was reached");
    }

    private async Task<int> SendAndCheckAsync(FuzzRequest fuzz)
    {
        var collection = fuzz.Collection;
        using var request = new HttpRequestMessage(new HttpMethod(fuzz.Method), collection is null ? fuzz.Target : fuzz.Target.Replace(Existing, _existing.GetValueOrDefault(collection, Guid.Empty.ToString()), StringComparison.Ordinal));
        if (fuzz.Body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(fuzz.Body));
            if (fuzz.ContentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", fuzz.ContentType);
            }
        }

        foreach (var (name, value) in fuzz.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await Client.SendAsync(request);
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync();
        Require(status < 500, $"answered {status}: {body}");
        if (status >= 400 && fuzz.Method != "HEAD")
        {
            Require(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"a {status} that is not problem+json: {body}");
            using var problem = JsonDocument.Parse(body);
            Require(problem.RootElement.GetProperty("status").GetInt32() == status, $"problem status differs from {status}: {body}");
            Require(problem.RootElement.GetProperty("traceId").GetString() is { Length: > 0 }, $"no traceId: {body}");
            Require(problem.RootElement.GetProperty("title").GetString() is { Length: > 0 }, $"no title: {body}");
            Require(problem.RootElement.GetProperty("instance").GetString() is { Length: > 0 }, $"no instance: {body}");
        }

        if (collection is not null && status is >= 200 and < 300 && body.Length > 0 && response.Content.Headers.ContentType?.MediaType == "application/json")
        {
            using var answered = JsonDocument.Parse(body);
            CheckRepresentations(collection, answered.RootElement);
            if (status == 201 && response.Headers.Location is { } location)
            {
                // A create answers exactly what a later read answers.
                using var read = await Client.GetAsync(location);
                var readBody = await read.Content.ReadAsStringAsync();
                Require(read.IsSuccessStatusCode, $"the created {location} reads back as {(int)read.StatusCode}: {readBody}");
                Require(JsonNode.DeepEquals(JsonNode.Parse(body), JsonNode.Parse(readBody)), $"created as {body}, read back as {readBody}");
                _existing[collection] = answered.RootElement.GetProperty("id").ToString();
            }
        }

        if (collection is not null && status == 204 && fuzz.Target.Contains(Existing, StringComparison.Ordinal))
        {
            // Later cases address "an existing one": find or make another.
            await EnsureExistingAsync(collection);
        }

        return status;
    }

    /// <summary>Every text a resource answers is visible text in NFC, and it keeps its own rules.</summary>
    private static void CheckRepresentations(string collection, JsonElement answered)
    {
        var rules = IResourceRules.All.FirstOrDefault(r => r.CollectionPath == collection);
        foreach (var item in answered.ValueKind == JsonValueKind.Array ? answered.EnumerateArray().ToList() : [answered])
        {
            foreach (var text in Strings(item))
            {
                Require(VisibleText.TryNormalize(text, "text", out var error) == text, $"answered text that is not visible NFC text ({error}): {item}");
            }

            if (rules?.Violation(item) is { } violation)
            {
                Require(false, $"an answered resource {violation}: {item}");
            }
        }
    }

    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        _ => [],
    };

    /// <summary>
    /// An id of the collection for "an existing one": the newest listed, or one made from the
    /// document's example. A path that is not a listing (a caller's own record, <c>/me</c>) has none.
    /// </summary>
    private async Task EnsureExistingAsync(string collection)
    {
        using var list = await Client.GetAsync($"{collection}?limit=1");
        if (!list.IsSuccessStatusCode || await list.Content.ReadFromJsonAsync<JsonElement>() is not { ValueKind: JsonValueKind.Array } listed)
        {
            return;
        }

        if (listed.GetArrayLength() > 0)
        {
            _existing[collection] = listed[0].GetProperty("id").ToString();
            return;
        }

        var create = _operations.FirstOrDefault(o => o.Method == "POST" && o.Path == collection && o.Example is not null);
        if (create is not null)
        {
            using var created = await Client.PostAsync(collection, new StringContent(create.Example!.ToJsonString(), Encoding.UTF8, "application/json"));
            var body = await created.Content.ReadAsStringAsync();
            Require(created.IsSuccessStatusCode, $"the document's example for POST {collection} is refused: {body}");
            _existing[collection] = JsonDocument.Parse(body).RootElement.GetProperty("id").ToString();
        }
    }

    private async Task<IReadOnlyList<Operation>> DocumentedOperationsAsync()
    {
        using var document = JsonDocument.Parse(await Client.GetStringAsync("/swagger/v1/swagger.json"));
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
        var operations = new List<Operation>();
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var query = operation.Value.TryGetProperty("parameters", out var parameters)
                    ? parameters.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "query").Select(p => p.GetProperty("name").GetString()!).ToList()
                    : [];
                var members = new List<Member>();
                JsonNode? example = null;
                if (operation.Value.TryGetProperty("requestBody", out var requestBody)
                    && requestBody.GetProperty("content").TryGetProperty("application/json", out var json))
                {
                    example = json.TryGetProperty("example", out var e) ? JsonNode.Parse(e.GetRawText()) : null;
                    var schema = Resolve(json.GetProperty("schema"), schemas);
                    foreach (var property in schema.TryGetProperty("properties", out var properties) ? properties.EnumerateObject() : default)
                    {
                        var target = Resolve(property.Value, schemas);
                        members.Add(new Member(
                            property.Name,
                            target.TryGetProperty("type", out var type) ? type.ToString() : null,
                            target.TryGetProperty("format", out var format) ? format.GetString() : null,
                            target.TryGetProperty("enum", out var values) ? values.EnumerateArray().Select(v => v.GetRawText()).ToArray() : null));
                    }
                }

                operations.Add(new Operation(operation.Name.ToUpperInvariant(), path.Name, Placeholder().Replace(path.Name, string.Empty).TrimEnd('/'), query, members, example));
            }
        }

        return operations;
    }

    private static JsonElement Resolve(JsonElement schema, JsonElement schemas) =>
        schema.TryGetProperty("$ref", out var reference) ? schemas.GetProperty(reference.GetString()!.Split('/')[^1]) : schema;

    private static string Print(FuzzRequest request) => JsonSerializer.Serialize(request);

    // Not NUnit's Assert: it records every failure in the test's result, and shrinking fails on purpose thousands of times.
    private static void Require(bool holds, string violation)
    {
        if (!holds)
        {
            throw new PropertyViolation(violation);
        }
    }

    [GeneratedRegex(@"/\{[^}]+\}.*$")]
    private static partial Regex Placeholder();

    private sealed class PropertyViolation(string message) : Exception(message);

    /// <summary>A documented operation: its path template, the collection it belongs to, its query parameters and body members.</summary>
    private sealed record Operation(string Method, string Path, string Collection, IReadOnlyList<string> Query, IReadOnlyList<Member> Members, JsonNode? Example)
    {
        public string Key => $"{Method} {Path}";
    }

    private sealed record Member(string Name, string? Type, string? Format, string[]? Enum);

    /// <summary>One generated request; the target may name an existing resource of its collection through a placeholder.</summary>
    internal sealed record FuzzRequest(string Method, string Target, string? Operation, string? Collection, string? ContentType, string? Body, (string Name, string Value)[] Headers);

    private static readonly Gen<string> CodePoint = Gen.Frequency(
        (6, Gen.Char['a', 'z'].Select(ch => ch.ToString())),
        (2, Gen.OneOf("@", ".", " ", "-", "+", "\"", "\\", "/", "0", "A", "Z")),
        (2, Gen.OneOf("\0", "\t", "\n", "\u0007", "\u0085", "\u200b", "\u200d", "\u202e", "\u2066", "\ufeff", "\ufffe", "\uffff", "\ud800", "\udc00",
            "\u0301", "e\u0301", "\u00e9", "\u0130", "\u0131", "\u017f", "\u212a", "\u00df", "\u03a3", "\u2028", "\ud83d\ude00", "\u4e2d", "\u0627")),
        (3, Gen.Int[0, 0x10FFFF].Select(point => point is >= 0xD800 and <= 0xDFFF ? ((char)point).ToString() : char.ConvertFromUtf32(point))));

    private static readonly Gen<string> Text = CodePoint.Array[0, 24].Select(string.Concat);

    private static readonly Gen<string> Domain = Gen.Frequency(
        (4, Gen.OneOf("x.io", "example.com", "X.IO", "b\u00fccher.example", "xn--bcher-kva.example", "sub.example.co.uk")),
        (1, Gen.OneOf("", ".x.io", "x..io", "x.io.", "exa_mple.com", "[127.0.0.1]", "-x.io", new string('d', 64) + ".io")),
        (1, Text.Select(t => t + ".io")));

    private static readonly Gen<string> Word = Gen.Frequency((8, Gen.Char['a', 'z']), (1, Gen.Char['A', 'Z']), (1, Gen.Char["äéöüßøİı Σς"])).Array[1, 12].Select(string.Concat);

    private static readonly Gen<string> Email = Gen.Frequency(
        (4, Gen.Select(Word, Gen.Int[0, 99999], Domain, (local, n, domain) => $"{local.Replace(" ", string.Empty, StringComparison.Ordinal)}{n}@{domain}")),
        (2, Gen.Select(Text, Gen.Int[0, 99999], Domain, (local, n, domain) => $"u{n}{local}@{domain}")),
        (1, Text));

    private static readonly Gen<string> Name = Gen.Frequency((4, Word.Array[1, 4].Select(words => string.Join(' ', words))), (2, Text));

    private static readonly Gen<string> Number = Gen.OneOf("0", "-0", "1", "-1", "1.5", "12.50", "1e999", "-1e999", "1E+2", "1.0e-400", "9223372036854775808", "00", "0x10", "NaN", "Infinity", ".5", "1.", "+1");

    private static readonly Gen<string> ScalarJson = Gen.Frequency(
        (5, Text.Select(JsonString)),
        (3, Email.Select(JsonString)),
        (2, Number),
        (1, Gen.OneOf("true", "false", "null", "[]", "{}", "\"", "[", "{\"a\":")),
        (1, Gen.Int[1, 300].Select(depth => new string('[', depth) + new string(']', depth))),
        (1, Gen.Int[1, 300].Select(depth => string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth))));

    private static readonly Gen<string> QueryValue = Gen.Frequency(
        (2, Gen.Int[-5, 400].Select(n => n.ToString(CultureInfo.InvariantCulture))),
        (2, Text.Select(Uri.EscapeDataString)),
        (1, Gen.OneOf("%00", "%ZZ", "%", "+", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "")));

    private static readonly Gen<string> Id = Gen.Frequency(
        (4, Gen.Const(Existing)),
        (2, Gen.OneOf(Guid.Empty.ToString(), "not-a-uuid", "..", "%2e%2e", "%ZZ", "00000000000000000000000000000000")),
        (1, Text.Select(PathSegment)));

    private static readonly Gen<(string, string)> Header = Gen.Frequency(
        (3, Gen.Select(Gen.OneOf("Accept"), Gen.OneOf("text/html", "application/xml", "*/*", "application/json", "text/plain;q=0.1", "application/problem+json"))),
        (2, Gen.Select(Gen.OneOf("If-Match", "If-None-Match"), Gen.OneOf("*", "\"1\"", "W/\"1\"", "garbage", "\"\"", "\"1\", \"2\"", ","))),
        (1, Gen.Select(Gen.OneOf("Idempotency-Key"), Gen.OneOf("k1", "k2", "", " ", "\u00e9", new string('k', 256)))),
        (1, Gen.Select(Gen.OneOf("traceparent", "X-Forwarded-For", "Origin"), Gen.OneOf("00-zz-zz-01", "not-an-ip", "null", "https://evil.example", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))));

    private static readonly Gen<string?> ContentType = Gen.Frequency(
        (12, Gen.Const<string?>("application/json")),
        (2, Gen.OneOf<string?>("application/json; charset=utf-8", "text/plain", "application/json; charset=latin1", "application/*+json", "multipart/form-data", "application/merge-patch+json")),
        (1, Gen.Const((string?)null)));

    /// <summary>Requests to the documented operations (mostly), and to anything else.</summary>
    private static Gen<FuzzRequest> Requests(IReadOnlyList<Operation> operations)
    {
        var documented = Gen.OneOf(operations.ToArray()).SelectMany(operation => Gen.Select(
            Target(operation),
            ContentType,
            Gen.Frequency((8, Body(operation).Select(b => (string?)b)), (1, Gen.Const((string?)null))),
            Header.Array[0, 3],
            (target, contentType, body, headers) => new FuzzRequest(
                operation.Method, target, operation.Key, operation.Collection, contentType, operation.Method is "GET" or "DELETE" ? null : body, headers)));
        var collections = operations.Select(o => o.Collection).Distinct().ToArray();
        var anything = Gen.Select(
            Gen.OneOf("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE"),
            Gen.OneOf([.. collections, .. collections.Select(c => c + "/"), "/", "/api", "/api/v1", "/swagger/v1/swagger.json", "/health/ready", "/nope"]),
            Text.Select(t => "/" + PathSegment(t)),
            Gen.Bool,
            ContentType,
            Body(null),
            (method, known, random, pickKnown, contentType, body) => new FuzzRequest(
                method, pickKnown ? known : random, null, null, contentType, method is "GET" or "HEAD" or "DELETE" or "TRACE" ? null : body, []));
        return Gen.Frequency((6, documented), (1, anything));
    }

    /// <summary>The operation's path with each placeholder filled, and a query string of its parameters (and others).</summary>
    private static Gen<string> Target(Operation operation)
    {
        var names = operation.Query.Count == 0 ? Gen.OneOf("x", "") : Gen.Frequency((4, Gen.OneOf(operation.Query.ToArray())), (1, Gen.OneOf("x", "", "Limit")));
        var query = Gen.Select(names, QueryValue).Array[0, 3]
            .Select(pairs => pairs.Length == 0 ? string.Empty : "?" + string.Join("&", pairs.Select(p => $"{p.Item1}={p.Item2}")));
        return Gen.Select(Id, query, (id, q) => PlaceholderInPath().Replace(operation.Path, id) + q);
    }

    /// <summary>Bodies shaped by the operation's request schema (its members with values of their kind), and anything else.</summary>
    private static Gen<string> Body(Operation? operation)
    {
        var names = operation?.Members.Select(m => m.Name).ToArray() ?? [];
        var key = Gen.Frequency(
            (6, names.Length > 0 ? Gen.OneOf(names) : Gen.OneOf("email", "name")),
            (2, names.Length > 0 ? Gen.OneOf(names.Select(n => n.ToUpperInvariant()).Concat(names.Select(n => n + "x")).ToArray()) : Gen.OneOf("Email", "NAME")),
            (2, Gen.OneOf("", "id", "createdAt", "version", "__proto__")),
            (1, Text));
        var shaped = operation is { Members.Count: > 0 }
            ? operation.Members.Aggregate(
                Gen.Const(Array.Empty<string>()),
                (members, member) => members.SelectMany(list => ValueOf(member).Select(value => (string[])[.. list, $"{JsonString(member.Name)}:{value}"])))
                .Select(members => "{" + string.Join(",", members) + "}")
            : Gen.Const("{}");
        return Gen.Frequency(
            (6, shaped),
            (4, Gen.Select(key, ScalarJson).Array[0, 5].Select(members => "{" + string.Join(",", members.Select(m => $"{JsonString(m.Item1)}:{m.Item2}")) + "}")),
            (1, ScalarJson),
            (1, Text));
    }

    private static Gen<string> ValueOf(Member member) => member switch
    {
        { Enum: { Length: > 0 } values } => Gen.Frequency((4, Gen.OneOf(values)), (1, ScalarJson)),
        { Format: "email" } => Gen.Frequency((6, Email.Select(JsonString)), (1, ScalarJson)),
        { Type: "\"string\"" or "string" } => Gen.Frequency((6, Name.Select(JsonString)), (1, ScalarJson)),
        { Type: "integer" or "number" or "\"integer\"" or "\"number\"" } => Gen.Frequency((6, Number), (1, ScalarJson)),
        { Type: "boolean" or "\"boolean\"" } => Gen.Frequency((6, Gen.OneOf("true", "false")), (1, ScalarJson)),
        _ => ScalarJson,
    };

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex PlaceholderInPath();

    // A NUL in the path never reaches the app: Kestrel refuses the request line (a bare 400, see
    // HostileInputTests) and the test server refuses to build such a request.
    private static string PathSegment(string text) => Uri.EscapeDataString(text.Replace("\0", string.Empty, StringComparison.Ordinal));

    // Every character outside printable ASCII as \uXXXX, so that lone surrogates and NUL reach the parser as the client wrote them.
    private static string JsonString(string value)
    {
        var json = new StringBuilder("\"");
        foreach (var ch in value)
        {
            if (ch is '"' or '\\')
            {
                json.Append('\\').Append(ch);
            }
            else if (ch is < ' ' or > '~')
            {
                json.Append(CultureInfo.InvariantCulture, $"\\u{(int)ch:x4}");
            }
            else
            {
                json.Append(ch);
            }
        }

        return json.Append('"').ToString();
    }
}
