using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ProfileGrains.Host.Security;

/// <summary>
/// The configured keys, compiled: each key's SHA-256 and the principal it authenticates as. Rebuilt whenever the
/// configuration reloads, so a key is rotated by adding the new one and removing the old one without a restart. An
/// empty ring is open development mode (allowed only on loopback, see <see cref="SecurityHostingExtensions"/>).
/// </summary>
public sealed class ApiKeyRing : IDisposable
{
    public const string ScopeClaim = "scope";
    public const string AuthenticationType = "ApiKey";

    private readonly IDisposable? _subscription;
    private volatile Entry[] _entries;

    public ApiKeyRing(IOptionsMonitor<AuthOptions> options)
    {
        _entries = Compile(options.CurrentValue);
        _subscription = options.OnChange(changed =>
        {
            // A bad reload keeps the keys in force rather than locking everyone out or opening the engine.
            try
            {
                _entries = Compile(changed);
            }
            catch (InvalidOperationException)
            {
            }
        });
    }

    /// <summary>No key configured: every call is allowed (development on loopback).</summary>
    public bool IsOpen => _entries.Length == 0;

    /// <summary>The principal of the key, or null. Every configured key is compared, each in constant time.</summary>
    public ClaimsPrincipal? Authenticate(ReadOnlySpan<char> key)
    {
        Span<byte> utf8 = stackalloc byte[Math.Min(Encoding.UTF8.GetMaxByteCount(key.Length), 1024)];
        if (key.Length > 256 || !Encoding.UTF8.TryGetBytes(key, utf8, out var length))
        {
            return null;
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(utf8[..length], hash);
        ClaimsPrincipal? found = null;
        foreach (var entry in _entries)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, entry.Hash))
            {
                found = entry.Principal;
            }
        }

        return found;
    }

    public void Dispose() => _subscription?.Dispose();

    /// <summary>Checks the keys; throws with every problem named when one is unusable.</summary>
    public static Entry[] Compile(AuthOptions options)
    {
        var problems = new List<string>();
        var entries = new List<Entry>();
        foreach (var (name, key) in options.ApiKeys)
        {
            var where = $"{AuthOptions.SectionName}:ApiKeys:{name}";
            byte[]? hash = null;
            if (!string.IsNullOrEmpty(key.Key) && !string.IsNullOrEmpty(key.KeySha256))
            {
                problems.Add($"{where}: set Key or KeySha256, not both");
            }
            else if (!string.IsNullOrEmpty(key.Key))
            {
                hash = key.Key.Length is >= 16 and <= 256 ? SHA256.HashData(Encoding.UTF8.GetBytes(key.Key)) : null;
                if (hash is null)
                {
                    problems.Add($"{where}:Key must be 16 to 256 characters");
                }
            }
            else if (!string.IsNullOrEmpty(key.KeySha256))
            {
                hash = key.KeySha256.Length == 64 && key.KeySha256.All(char.IsAsciiHexDigit) ? Convert.FromHexString(key.KeySha256) : null;
                if (hash is null)
                {
                    problems.Add($"{where}:KeySha256 must be 64 hexadecimal digits (the SHA-256 of the key's UTF-8 bytes)");
                }
            }
            else
            {
                problems.Add($"{where}: Key or KeySha256 is required");
            }

            var scopes = key.Scopes.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var unknown = scopes.Where(s => !Scopes.All.Contains(s, StringComparer.Ordinal)).ToList();
            if (scopes.Length == 0 || unknown.Count > 0)
            {
                problems.Add($"{where}:Scopes must list some of {string.Join(", ", Scopes.All)}" + (unknown.Count > 0 ? $" (unknown: {string.Join(", ", unknown)})" : string.Empty));
            }

            if (key.RatePerSecond is < 0 or > 1_000_000 || key.MaxStreams is < 0 or > 10_000)
            {
                problems.Add($"{where}: RatePerSecond must be 0 (no limit) to 1000000 and MaxStreams 0 to 10000");
            }

            if (hash is not null)
            {
                var claims = scopes.Select(s => new Claim(ScopeClaim, s)).Prepend(new Claim(ClaimTypes.Name, name));
                entries.Add(new Entry(hash, new ClaimsPrincipal(new ClaimsIdentity(claims, AuthenticationType)), key.RatePerSecond, key.MaxStreams));
            }
        }

        return problems.Count == 0
            ? [.. entries]
            : throw new InvalidOperationException(string.Join(Environment.NewLine, problems));
    }

    /// <summary>The limits of the key named <paramref name="name"/>, or null when no such key is configured (any more).</summary>
    public Entry? Find(string name) => Array.Find(_entries, e => e.Principal.Identity?.Name == name);

    public sealed record Entry(byte[] Hash, ClaimsPrincipal Principal, int RatePerSecond, int MaxStreams)
    {
        // The key's name, never its hash.
        public override string ToString() => Principal.Identity?.Name ?? string.Empty;
    }
}
