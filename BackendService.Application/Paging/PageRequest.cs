using BackendService.Domain.Errors;

namespace BackendService.Application.Paging;

/// <summary>A valid request for one page: its size, and where it starts (null: the first page).</summary>
public sealed record PageRequest(int Size, KeysetPosition? After)
{
    /// <summary>The page a client asked for with <c>limit</c> and <c>cursor</c>, or one 400 naming what is wrong.</summary>
    public static PageRequest Parse(int? limit, string? cursor, KeysetCursor cursors)
    {
        ArgumentNullException.ThrowIfNull(cursors);
        var size = limit ?? PageSize.Default;
        var errors = new Dictionary<string, string[]>();
        if (!PageSize.IsAllowed(size))
        {
            errors["limit"] = [$"Limit must be between {PageSize.Min} and {PageSize.Max}."];
        }

        KeysetPosition? after = null;
        if (cursor is not null)
        {
            if (cursors.TryDecode(cursor, out var position))
            {
                after = position;
            }
            else
            {
                errors["cursor"] = ["The cursor is not valid. Use the next link of a previous page of this listing as it was given."];
            }
        }

        return errors.Count == 0 ? new PageRequest(size, after) : throw new ValidationException(errors);
    }

    /// <summary>How many rows to read: one more than the page tells whether a next page exists without a COUNT.</summary>
    public int Take => Size + 1;
}
