namespace ProfileGrains.Domain;

/// <summary>The enrichers a deployment runs, in order (a later one may overwrite an earlier one's key), and when to run them.</summary>
public sealed class ProfileEnrichers(IEnumerable<IProfileEnricher> enrichers)
{
    private readonly IProfileEnricher[] _enrichers = [.. enrichers];

    public static readonly ProfileEnrichers BuiltIn = new([new ContactEnricher(), new FrenchAddressEnricher()]);

    /// <summary>Whether a change touching <paramref name="parts"/> (null: anything) may change what some enricher derives.</summary>
    public bool Reads(IReadOnlyCollection<string>? parts) =>
        parts is null || _enrichers.Any(e => e.Reads.Overlaps(parts));

    public Enrichment Enrich(CustomerProfile profile)
    {
        var attributes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var enricher in _enrichers)
        {
            enricher.Enrich(profile, attributes);
        }

        return Enrichment.Share(attributes);
    }
}
