namespace ProfileGrains.EndToEnd.Tests.Infrastructure;

/// <summary>The host shared by the profile, event, diagnostics and hostile-input tests.</summary>
public sealed class EngineFixture : EngineHost;

/// <summary>A separate host for segment tests, so membership counts only see customers of the segment tests.</summary>
public sealed class SegmentEngineFixture : EngineHost;

[CollectionDefinition(Name)]
public sealed class EngineCollection : ICollectionFixture<EngineFixture>
{
    public const string Name = "engine";
}

[CollectionDefinition(Name)]
public sealed class SegmentEngineCollection : ICollectionFixture<SegmentEngineFixture>
{
    public const string Name = "segment-engine";
}
