using BackendService.Application;
using BackendService.Application.Gadgets;
using Microsoft.Extensions.DependencyInjection;

namespace BackendService.Infrastructure.Persistence;

internal sealed class GadgetsModule : IServiceModule
{
    // Stateless over the request's pooled context: transient.
    public void Register(IServiceCollection services) => services.AddTransient<IGadgetRepository, GadgetRepository>();
}
