using BackendService.Application.Paging;
using BackendService.Domain.Entities;
using Microsoft.EntityFrameworkCore;

namespace BackendService.Infrastructure.Persistence;

/// <summary>
/// The reads every versioned table answers alike, through EF Core and compiled once per entity
/// type (EF skips translating the LINQ tree on every request): one row by id, and a page in
/// keyset order (created_at desc, id desc). Untracked: writes go through <see cref="DatabaseWrites"/>.
/// </summary>
internal static class VersionedReads<TEntity>
    where TEntity : VersionedEntity
{
    private static readonly Func<AppDbContext, Guid, CancellationToken, Task<TEntity?>> FindById =
        EF.CompileAsyncQuery((AppDbContext db, Guid id, CancellationToken _) => db.Set<TEntity>().AsNoTracking().FirstOrDefault(e => e.Id == id));

    private static readonly Func<AppDbContext, int, IAsyncEnumerable<TEntity>> FirstPage =
        EF.CompileAsyncQuery((AppDbContext db, int take) => db.Set<TEntity>().AsNoTracking()
            .OrderByDescending(e => e.CreatedAt)
            .ThenByDescending(e => e.Id)
            .Take(take));

    // A row-value comparison, (created_at, id) < (@c, @id), matches the descending keyset index
    // exactly, so every page is an index range scan however deep it is.
    private static readonly Func<AppDbContext, DateTime, Guid, int, IAsyncEnumerable<TEntity>> NextPage =
        EF.CompileAsyncQuery((AppDbContext db, DateTime createdAt, Guid id, int take) => db.Set<TEntity>().AsNoTracking()
            .Where(e => EF.Functions.LessThan(ValueTuple.Create(e.CreatedAt, e.Id), ValueTuple.Create(createdAt, id)))
            .OrderByDescending(e => e.CreatedAt)
            .ThenByDescending(e => e.Id)
            .Take(take));

    /// <summary>The row with this id; null when there is none. An unreachable database is 503.</summary>
    public static Task<TEntity?> FindAsync(AppDbContext db, Guid id, CancellationToken cancellationToken) =>
        DatabaseFailure.TranslateAsync(() => FindById(db, id, cancellationToken));

    /// <summary>Up to <paramref name="take"/> rows strictly after <paramref name="after"/> in keyset order (newest first).</summary>
    public static Task<IReadOnlyList<TEntity>> PageAsync(AppDbContext db, KeysetPosition? after, int take, CancellationToken cancellationToken) =>
        DatabaseFailure.TranslateAsync(async () =>
        {
            var rows = after is { } position ? NextPage(db, position.CreatedAt, position.Id, take) : FirstPage(db, take);
            var page = new List<TEntity>(take);
            await foreach (var row in rows.WithCancellation(cancellationToken))
            {
                page.Add(row);
            }

            return (IReadOnlyList<TEntity>)page;
        });
}
