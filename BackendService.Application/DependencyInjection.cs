using BackendService.Application.Users;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BackendService.Application;

public static class DependencyInjection
{
    /// <summary>Registers the use cases. Persistence (<see cref="IUserRepository"/>) comes from Infrastructure.</summary>
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        // Stateless: transient, so the request scope does not keep it in its table of resolved services.
        services.AddTransient<IUserService, UserService>();
        return services;
    }
}
