namespace ProfileGrains.Abstractions;

/// <summary>One silo's counts since it started: events ingested, merges, identifiers quarantined, customers in memory now.</summary>
[GenerateSerializer, Immutable, Alias("pg.SiloActivity")]
public sealed record SiloActivity(
    [property: Id(0)] long EventsIngested,
    [property: Id(1)] long Merges,
    [property: Id(2)] long Quarantines,
    [property: Id(3)] long ResidentCustomers);

/// <summary>
/// The cluster's activity: the silos' latest reports added up, and the rate of events over the last reports
/// (<see cref="EventsPerSecond"/>). Counts restart with a silo.
/// </summary>
[GenerateSerializer, Immutable, Alias("pg.ClusterActivity")]
public sealed record ClusterActivity(
    [property: Id(0)] SiloActivity Totals,
    [property: Id(1)] double EventsPerSecond,
    [property: Id(2)] int Silos);
