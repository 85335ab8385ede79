namespace ProfileGrains.Domain;

/// <summary>
/// The customer base at a glance, from <see cref="Sampled"/> customers drawn uniformly out of <see cref="Customers"/>
/// (all of them when there are few): counts are of the sample, shares estimate the whole.
/// </summary>
[GenerateSerializer, Immutable, Alias("pg.CustomerBaseFigures")]
public sealed record CustomerBaseFigures(
    [property: Id(0)] long Customers,
    [property: Id(1)] long Sampled,
    [property: Id(2)] long MatchedProbe,
    [property: Id(3)] IReadOnlyList<RfmCell> RfmGrid,
    [property: Id(4)] IReadOnlyList<Tally> RfmSegments,
    [property: Id(5)] IReadOnlyList<Tally> ValueTiers,
    [property: Id(6)] IReadOnlyList<Tally> ChurnRisk,
    [property: Id(7)] IReadOnlyList<Tally> ChannelMix,
    [property: Id(8)] IReadOnlyList<ConsentCoverage> Consents)
{
    /// <summary>Every customer was looked at: the figures are counts, not estimates.</summary>
    public bool Exact => Sampled >= Customers;

    /// <summary>Members the probe rule would have among all customers, scaled from the sample.</summary>
    public long EstimatedMatches => Sampled == 0 ? 0 : Exact ? MatchedProbe : (long)Math.Round((double)MatchedProbe * Customers / Sampled);
}

/// <summary>Customers with recency score <see cref="Recency"/> and frequency score <see cref="Frequency"/> (1–5 each).</summary>
[GenerateSerializer, Immutable, Alias("pg.RfmCell")]
public sealed record RfmCell([property: Id(0)] int Recency, [property: Id(1)] int Frequency, [property: Id(2)] long Customers);

[GenerateSerializer, Immutable, Alias("pg.Tally")]
public sealed record Tally([property: Id(0)] string Label, [property: Id(1)] long Customers);

/// <summary>How many customers granted, refused (denied or withdrew) or never answered one channel and purpose.</summary>
[GenerateSerializer, Immutable, Alias("pg.ConsentCoverage")]
public sealed record ConsentCoverage(
    [property: Id(0)] ContactChannel Channel,
    [property: Id(1)] ConsentPurpose Purpose,
    [property: Id(2)] long Granted,
    [property: Id(3)] long Refused,
    [property: Id(4)] long Unknown);
