using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BackendService.Application;

public static class DependencyInjection
{
    /// <summary>Registers the use cases (each resource's <see cref="IServiceModule"/>). Persistence comes from Infrastructure.</summary>
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        return services.AddServiceModules(typeof(DependencyInjection).Assembly);
    }
}
