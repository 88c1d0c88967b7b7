namespace BackendService.Application.Paging;

/// <summary>How many items one page of a listing may hold. The OpenAPI schema reads these too.</summary>
public static class PageSize
{
    public const int Default = 50;
    public const int Min = 1;
    public const int Max = 200;

    public static bool IsAllowed(int size) => size is >= Min and <= Max;
}
