using Npgsql;

namespace BackendService.Infrastructure.Persistence;

/// <summary>
/// Turns the configured database URL (either form) and pool options into an Npgsql
/// connection string. Error messages name the setting but never echo its value, because
/// the value may hold a password.
/// </summary>
public static class DatabaseConnectionString
{
    // libpq query parameters that have an Npgsql equivalent under another name.
    private static readonly Dictionary<string, string> LibpqParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sslmode"] = "SSL Mode",
        ["sslrootcert"] = "Root Certificate",
        ["application_name"] = "Application Name",
        ["search_path"] = "Search Path",
        ["target_session_attrs"] = "Target Session Attributes",
        ["options"] = "Options",
    };

    public const string NotSetMessage = "DATABASE_URL is not set: give a postgres:// URL or an Npgsql connection string.";

    public static NpgsqlConnectionStringBuilder Build(DatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Url))
        {
            throw new InvalidOperationException(NotSetMessage);
        }

        var builder = Parse(options.Url.Trim());
        builder.MaxPoolSize = options.MaxPoolSize;
        builder.MinPoolSize = options.MinPoolSize;
        builder.Timeout = options.AcquireTimeoutSeconds;
        builder.CommandTimeout = options.CommandTimeoutSeconds;
        builder.ConnectionIdleLifetime = options.IdleTimeoutSeconds;
        builder.ConnectionLifetime = options.MaxLifetimeSeconds;

        // Our statements are few and repeated: prepare them on each physical connection once
        // they have been used twice, so PostgreSQL skips parsing and planning after that.
        builder.MaxAutoPrepare = options.MaxAutoPrepare;
        builder.AutoPrepareMinUsages = 2;
        builder.NoResetOnClose = !options.ResetSessionOnReturn;
        builder.ApplicationName ??= "BackendService";
        return builder;
    }

    public static NpgsqlConnectionStringBuilder Parse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        try
        {
            return url.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
                ? FromUrl(url)
                : new NpgsqlConnectionStringBuilder(url);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or UriFormatException)
        {
            // Deliberately not chained: the inner message may quote the password.
            throw new FormatException("DATABASE_URL is malformed: expected postgres://user:password@host:port/database or an Npgsql key=value connection string.");
        }
    }

    private static NpgsqlConnectionStringBuilder FromUrl(string url)
    {
        var uri = new Uri(url, UriKind.Absolute);
        if (string.IsNullOrEmpty(uri.Host))
        {
            throw new FormatException("no host");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host.Trim('[', ']'),
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
        };

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            builder[LibpqParameters.GetValueOrDefault(key, key)] = value;
        }

        return builder;
    }
}
