using Microsoft.Extensions.DependencyInjection;

namespace BackendService.Application.Users;

internal sealed class UsersModule : IServiceModule
{
    // Stateless: transient, so the request scope does not keep it in its table of resolved services.
    public void Register(IServiceCollection services) => services.AddTransient<IUserService, UserService>();
}
