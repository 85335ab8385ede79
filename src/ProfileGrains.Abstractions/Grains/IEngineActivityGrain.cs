using Orleans.Concurrency;

namespace ProfileGrains.Abstractions;

/// <summary>Where every silo reports its activity every few seconds, for the cluster's overview. Key: 0.</summary>
[Alias("pg.IEngineActivityGrain")]
public interface IEngineActivityGrain : IGrainWithIntegerKey
{
    [Alias("Report"), OneWay]
    Task Report(string silo, SiloActivity activity);

    [Alias("Get"), ReadOnly]
    Task<ClusterActivity> Get();
}
