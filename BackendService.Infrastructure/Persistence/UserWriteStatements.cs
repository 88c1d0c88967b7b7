using BackendService.Domain.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace BackendService.Infrastructure.Persistence;

/// <summary>
/// The INSERT and UPDATE the repository sends through Npgsql, with table and column names
/// read from the EF model once, so they follow the entity configuration and its migrations.
/// Both return the row's new version (PostgreSQL's <c>xmin</c>), which backs the ETag.
/// </summary>
internal sealed record UserWriteStatements(string Insert, string Update)
{
    private static UserWriteStatements? _cached;

    public static UserWriteStatements For(IModel model) => _cached ??= Build(model);

    private static UserWriteStatements Build(IModel model)
    {
        var entity = model.FindEntityType(typeof(User)) ?? throw new InvalidOperationException("User is not in the EF model.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        string Column(string property) =>
            '"' + (entity.FindProperty(property)?.GetColumnName(table) ?? throw new InvalidOperationException($"User.{property} has no column.")) + '"';

        var (id, email, emailKey, name, createdAt, updatedAt, version) = (
            Column(nameof(User.Id)), Column(nameof(User.Email)), Column(nameof(User.EmailKey)), Column(nameof(User.Name)),
            Column(nameof(User.CreatedAt)), Column(nameof(User.UpdatedAt)), Column(nameof(User.Version)));
        var users = entity.GetSchema() is { } schema ? $"\"{schema}\".\"{table.Name}\"" : $"\"{table.Name}\"";

        return new(
            $"INSERT INTO {users} ({id}, {email}, {emailKey}, {name}, {createdAt}, {updatedAt}) VALUES ($1, $2, $3, $4, $5, $6) RETURNING {version}",
            $"UPDATE {users} SET {email} = $1, {emailKey} = $2, {name} = $3, {updatedAt} = $4 WHERE {id} = $5 AND {version} = $6 RETURNING {version}");
    }
}
