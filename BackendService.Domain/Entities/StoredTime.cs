namespace BackendService.Domain.Entities;

/// <summary>
/// Timestamps at the precision PostgreSQL stores (microseconds), in UTC: what a create returns
/// is then exactly what a later read returns, and keyset cursors compare equal to the stored value.
/// </summary>
public static class StoredTime
{
    public static DateTime From(DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        return new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMicrosecond), DateTimeKind.Utc);
    }

    /// <summary>The stored time of a change at <paramref name="now"/>: later than <paramref name="previous"/> even when the clock did not move (or went back).</summary>
    public static DateTime After(DateTime previous, DateTimeOffset now)
    {
        var stored = From(now);
        return stored > previous ? stored : previous.AddTicks(TimeSpan.TicksPerMicrosecond);
    }
}
