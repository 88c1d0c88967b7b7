namespace BackendService.Domain.Gadgets;

/// <summary>
/// The limits of a gadget's values. The value objects check them, their messages quote them,
/// and the EF columns and the OpenAPI schema read them, so none of those can drift apart.
/// </summary>
public static class GadgetConstraints
{
    public const int NameMinLength = 1;

    public const int NameMaxLength = 200;
}
