using BackendService.Application;
using BackendService.Application.Users;
using Microsoft.Extensions.DependencyInjection;

namespace BackendService.Infrastructure.Persistence;

internal sealed class UsersModule : IServiceModule
{
    // Stateless over the request's pooled context: transient, so the request scope does not
    // also keep it in its table of resolved services.
    public void Register(IServiceCollection services) => services.AddTransient<IUserRepository, UserRepository>();
}
