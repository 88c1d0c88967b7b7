using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace BackendService.Application;

/// <summary>
/// A resource's registrations in one layer, in the resource's own folder. Each layer's
/// <c>Add…</c> method runs every module of its assembly, so a new resource registers itself
/// without an edit to a shared file.
/// </summary>
public interface IServiceModule
{
    void Register(IServiceCollection services);
}

public static class ServiceModules
{
    /// <summary>Runs every <see cref="IServiceModule"/> of <paramref name="assembly"/>, in name order.</summary>
    public static IServiceCollection AddServiceModules(this IServiceCollection services, Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var modules = assembly.GetTypes()
            .Where(type => type is { IsClass: true, IsAbstract: false } && typeof(IServiceModule).IsAssignableFrom(type))
            .OrderBy(type => type.FullName, StringComparer.Ordinal);
        foreach (var module in modules)
        {
            ((IServiceModule)Activator.CreateInstance(module, nonPublic: true)!).Register(services);
        }

        return services;
    }
}
