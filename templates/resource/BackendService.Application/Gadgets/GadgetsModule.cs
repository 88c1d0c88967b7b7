using Microsoft.Extensions.DependencyInjection;

namespace BackendService.Application.Gadgets;

internal sealed class GadgetsModule : IServiceModule
{
    // Stateless: transient, so the request scope does not keep it in its table of resolved services.
    public void Register(IServiceCollection services) => services.AddTransient<IGadgetService, GadgetService>();
}
