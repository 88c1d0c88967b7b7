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

    /// <summary>
    /// libpq's URL: <c>postgres://user:password@host1:5432,[::1]:5433/db?key=value</c>. Parsed by
    /// hand because <see cref="Uri"/> cannot hold a host list; every part is percent-decoded.
    /// </summary>
    private static NpgsqlConnectionStringBuilder FromUrl(string url)
    {
        var rest = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var query = string.Empty;
        var questionMark = rest.IndexOf('?', StringComparison.Ordinal);
        if (questionMark >= 0)
        {
            (rest, query) = (rest[..questionMark], rest[(questionMark + 1)..]);
        }

        // A '@' or '/' in the user name or password must be percent-encoded, so the last '@'
        // before the path ends the user info.
        var path = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = path < 0 ? rest : rest[..path];
        var at = authority.LastIndexOf('@');
        var hosts = ParseHosts(authority[(at + 1)..]);
        var builder = new NpgsqlConnectionStringBuilder();
        if (hosts.Count == 1)
        {
            builder.Host = hosts[0].Host;
            builder.Port = hosts[0].Port ?? 5432;
        }
        else
        {
            // Npgsql's multi-host form; the data source then picks hosts by Target Session Attributes.
            builder.Host = string.Join(',', hosts.Select(h => $"{(h.Host.Contains(':', StringComparison.Ordinal) ? $"[{h.Host}]" : h.Host)}:{h.Port ?? 5432}"));
        }

        var database = path < 0 ? string.Empty : Uri.UnescapeDataString(rest[(path + 1)..]);
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        if (at > 0)
        {
            var userInfo = authority[..at];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? userInfo : userInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(userInfo[(colon + 1)..]);
            }
        }

        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            builder[LibpqParameters.GetValueOrDefault(key, key)] = value;
        }

        return builder;
    }

    /// <summary><c>host[:port]</c> entries separated by commas; an IPv6 address in brackets.</summary>
    private static List<(string Host, int? Port)> ParseHosts(string list)
    {
        var hosts = new List<(string Host, int? Port)>();
        foreach (var entry in list.Split(','))
        {
            string host;
            var port = string.Empty;
            if (entry.StartsWith('['))
            {
                var close = entry.IndexOf(']', StringComparison.Ordinal);
                if (close < 0 || (close + 1 < entry.Length && entry[close + 1] != ':'))
                {
                    throw new FormatException("bad IPv6 host");
                }

                host = entry[1..close];
                port = close + 1 < entry.Length ? entry[(close + 2)..] : string.Empty;
            }
            else
            {
                var colon = entry.LastIndexOf(':');
                (host, port) = colon < 0 ? (entry, string.Empty) : (entry[..colon], entry[(colon + 1)..]);
            }

            host = Uri.UnescapeDataString(host);
            if (host.Length == 0)
            {
                throw new FormatException("no host");
            }

            hosts.Add((host, port.Length == 0 ? null : int.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) && number is > 0 and <= 65535 ? number : throw new FormatException("bad port")));
        }

        return hosts;
    }
}
