namespace ProfileGrains.Host.Security;

/// <summary>Section "ProfileGrains:Auth": the API keys, reloaded when the configuration changes.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "ProfileGrains:Auth";

    /// <summary>Keys by name (the name appears in logs, never the key).</summary>
    public Dictionary<string, ApiKeyOptions> ApiKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>gRPC server reflection: on in open development mode; with keys, off unless true (and then admin only).</summary>
    public bool? Reflection { get; set; }

    /// <summary>WatchSegment streams open at once over all keys (each holds a poll loop on the gateway).</summary>
    public int MaxStreams { get; set; } = 200;

    /// <summary>A WatchSegment stream that delivers nothing for this long is ended; the client reconnects with its cursor.</summary>
    public TimeSpan StreamIdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The secret customer tokens are signed with (<see cref="CustomerTokens"/>; at least 32 characters, the same on every
    /// silo). Unset in a secured engine: no self-service. Changing it ends every token issued before.
    /// </summary>
    public string? CustomerTokenSecret { get; set; }

    /// <summary>The longest a customer token may be issued for.</summary>
    public TimeSpan CustomerTokenMaxLifetime { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>One API key: the key itself or its SHA-256, and the scopes it grants.</summary>
public sealed class ApiKeyOptions
{
    /// <summary>The key as clients send it (at least 16 characters).</summary>
    public string? Key { get; set; }

    /// <summary>The hex SHA-256 of the key's UTF-8 bytes, so the key itself need not sit in configuration.</summary>
    public string? KeySha256 { get; set; }

    /// <summary>Comma-separated scopes (see <see cref="Scopes"/>).</summary>
    public string Scopes { get; set; } = string.Empty;

    /// <summary>Calls per second this key may make (a token bucket holding one second's worth); 0: no limit.</summary>
    public int RatePerSecond { get; set; }

    /// <summary>WatchSegment streams this key may hold open at once.</summary>
    public int MaxStreams { get; set; } = 20;
}
