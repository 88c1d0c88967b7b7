using System.Text.Json;

namespace BackendService.Tests.Support;

/// <summary>
/// A resource's own rules for what it stores, for the tests that work over every operation of
/// the served document (Fuzz/ContractFuzzTests): each resource's tests add one implementation,
/// found by reflection, and those tests check every representation of the resource they meet.
/// </summary>
public interface IResourceRules
{
    /// <summary>The collection path, as in the document (<c>/api/v1/users</c>); its items are at <c>{path}/{id}</c>.</summary>
    string CollectionPath { get; }

    /// <summary>What is wrong with a representation the API answered, or null when it keeps every rule.</summary>
    string? Violation(JsonElement representation);

    static IReadOnlyList<IResourceRules> All { get; } = typeof(IResourceRules).Assembly.GetTypes()
        .Where(type => type is { IsClass: true, IsAbstract: false } && typeof(IResourceRules).IsAssignableFrom(type))
        .Select(type => (IResourceRules)Activator.CreateInstance(type)!)
        .ToList();
}
