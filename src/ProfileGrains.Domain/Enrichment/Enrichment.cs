using System.Collections.Concurrent;

namespace ProfileGrains.Domain;

/// <summary>
/// The attributes enrichers derived for one profile, sorted by key. Many customers share exactly the same set (a free
/// French mobile in Île-de-France), so equal sets are one shared instance (<see cref="Share"/>): a profile pays a
/// reference, not a dictionary.
/// </summary>
[GenerateSerializer, Immutable, Alias("pg.Enrichment")]
public sealed class Enrichment : IEquatable<Enrichment>
{
    private const int MaxShared = 100_000;
    private static readonly ConcurrentDictionary<Enrichment, Enrichment> Pool = new();

    public static readonly Enrichment None = new([]);

    [Id(0)] private readonly KeyValuePair<string, string>[] _attributes;

    public Enrichment(KeyValuePair<string, string>[] attributes) => _attributes = attributes;

    public IReadOnlyList<KeyValuePair<string, string>> Attributes => _attributes;

    public string? this[string key]
    {
        get
        {
            foreach (var (k, v) in _attributes)
            {
                if (k == key)
                {
                    return v;
                }
            }

            return null;
        }
    }

    /// <summary>The one instance holding these attributes (bounded: once the pool is full, sets are kept as they come).</summary>
    public static Enrichment Share(SortedDictionary<string, string> attributes)
    {
        if (attributes.Count == 0)
        {
            return None;
        }

        var candidate = new Enrichment([.. attributes.Select(a => new KeyValuePair<string, string>(SharedStrings.Share(a.Key), SharedStrings.Share(a.Value)))]);
        if (Pool.TryGetValue(candidate, out var shared))
        {
            return shared;
        }

        return Pool.Count < MaxShared ? Pool.GetOrAdd(candidate, candidate) : candidate;
    }

    public bool Equals(Enrichment? other) =>
        other is not null && _attributes.AsSpan().SequenceEqual(other._attributes);

    public override bool Equals(object? obj) => Equals(obj as Enrichment);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var (k, v) in _attributes)
        {
            hash.Add(k, StringComparer.Ordinal);
            hash.Add(v, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }
}
