using BackendService.Domain.Entities;

namespace BackendService.Application.Paging;

/// <summary>One page of a listing.</summary>
/// <param name="Items">The items on this page, newest first.</param>
/// <param name="Limit">The page size that was applied.</param>
/// <param name="NextCursor">Where the next page starts, or null on the last page.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, int Limit, string? NextCursor);

public static class Page
{
    /// <summary>The page from the <see cref="PageRequest.Take"/> rows read in keyset order, with the next page's cursor when there is one.</summary>
    public static Page<T> From<TEntity, T>(IReadOnlyList<TEntity> rows, PageRequest request, KeysetCursor cursors, Func<TEntity, T> map)
        where TEntity : VersionedEntity
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(cursors);
        ArgumentNullException.ThrowIfNull(map);
        var more = rows.Count > request.Size;
        var count = more ? request.Size : rows.Count;
        var items = new T[count];
        for (var i = 0; i < count; i++)
        {
            items[i] = map(rows[i]);
        }

        var next = more ? cursors.Encode(new KeysetPosition(rows[count - 1].CreatedAt, rows[count - 1].Id)) : null;
        return new Page<T>(items, request.Size, next);
    }
}
