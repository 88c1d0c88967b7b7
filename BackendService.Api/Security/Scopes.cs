using System.Reflection;

namespace BackendService.Api.Security;

/// <summary>
/// Declares a scope: put it on the public const string field that holds the scope's name, in any
/// class of this assembly (a resource's own, beside its controller). The policies, the OpenAPI
/// document, <c>--print-scopes</c> (what the local identity provider's token asks for) and the
/// tests all read the declarations, so a new resource's scopes need no edit anywhere else.
/// </summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class ApiScopeAttribute(string description) : Attribute
{
    public string Description { get; } = description;
}

/// <summary>The scopes the API declares (<see cref="ApiScopeAttribute"/>), by name.</summary>
public static class Scopes
{
    public static IReadOnlyDictionary<string, string> Descriptions { get; } = typeof(Scopes).Assembly.GetTypes()
        .SelectMany(type => type.GetFields(BindingFlags.Public | BindingFlags.Static))
        .Where(field => field.IsLiteral && field.FieldType == typeof(string))
        .Select(field => (Name: (string)field.GetRawConstantValue()!, Declared: field.GetCustomAttribute<ApiScopeAttribute>()))
        .Where(scope => scope.Declared is not null)
        .OrderBy(scope => scope.Name, StringComparer.Ordinal)
        .ToDictionary(scope => scope.Name, scope => scope.Declared!.Description, StringComparer.Ordinal);

    /// <summary>
    /// The end users' scopes: those named <c>resource:self</c>, for a person acting on their own
    /// record. A sign-in (Swagger UI's, the local provider's public client) asks for these; the
    /// local provider gives people no other (scripts/identity-provider/provider.mjs).
    /// </summary>
    public static IReadOnlyList<string> OwnRecord { get; } = [.. Descriptions.Keys.Where(scope => scope.EndsWith(":self", StringComparison.Ordinal))];

    /// <summary>The <c>--print-scopes</c> switch: print the declared scopes, space-separated, and exit (scripts/run.sh asks the local identity provider for a token with all of them).</summary>
    public const string PrintSwitch = "--print-scopes";

    public static bool PrintRequested(string[] args) => args.Contains(PrintSwitch, StringComparer.Ordinal);

    public static int Print()
    {
        Console.Out.WriteLine(string.Join(' ', Descriptions.Keys));
        return 0;
    }
}
