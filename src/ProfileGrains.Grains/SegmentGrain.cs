using Microsoft.Extensions.Options;
using ProfileGrains.Abstractions;
using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

[GenerateSerializer, Alias("pg.SegmentState")]
public sealed class SegmentState
{
    [Id(0)] public SegmentDefinition? Definition { get; set; }
    [Id(1)] public HashSet<string> Members { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// One segment: its rule, and who is in it now. Membership arrives from customer grains as enter/exit notices.
/// (One grain per segment is the foundation's shape; sharded membership for millions of members comes later.)
/// </summary>
[GrainType("segment")]
public sealed class SegmentGrain : Grain, ISegmentGrain
{
    private readonly IPersistentState<SegmentState> _persistent;
    private readonly CoalescedState<SegmentState> _state;

    public SegmentGrain(
        [PersistentState("segment", StorageNames.Segments)] IPersistentState<SegmentState> state,
        IOptions<ProfileEngineOptions> options)
    {
        _persistent = state;
        _state = new CoalescedState<SegmentState>(state, this, options.Value.StateFlushInterval);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => _state.FlushAsync();

    public async Task<SegmentInfo> Define(string name, IReadOnlyList<SegmentCondition> conditions)
    {
        var version = (_state.Value.Definition?.Version ?? 0) + 1;
        var definition = new SegmentDefinition(this.GetPrimaryKeyString(), name, conditions, version);
        _state.Value.Definition = definition;
        // A definition is acknowledged only once stored, and only then published to every silo.
        await _persistent.WriteStateAsync();
        await GrainFactory.GetGrain<ISegmentCatalogGrain>(0).Register(definition);
        return new SegmentInfo(definition, _state.Value.Members.Count);
    }

    public Task<SegmentInfo?> Get() =>
        Task.FromResult(_state.Value.Definition is { } d ? new SegmentInfo(d, _state.Value.Members.Count) : null);

    public Task MembershipChanged(string customerId, bool isMember)
    {
        var changed = isMember ? _state.Value.Members.Add(customerId) : _state.Value.Members.Remove(customerId);
        if (changed)
        {
            _state.MarkDirty();
        }

        return Task.CompletedTask;
    }
}

[GenerateSerializer, Alias("pg.SegmentCatalogState")]
public sealed class SegmentCatalogState
{
    [Id(0)] public long Version { get; set; }
    [Id(1)] public Dictionary<string, SegmentDefinition> Definitions { get; set; } = new(StringComparer.Ordinal);
}

[GrainType("segment-catalog")]
public sealed class SegmentCatalogGrain(
    [PersistentState("catalog", StorageNames.Segments)] IPersistentState<SegmentCatalogState> state) : Grain, ISegmentCatalogGrain
{
    private SegmentCatalogSnapshot? _snapshot;

    public async Task Register(SegmentDefinition definition)
    {
        if (state.State.Definitions.TryGetValue(definition.SegmentId, out var known) && known.Version >= definition.Version)
        {
            return;
        }

        state.State.Definitions[definition.SegmentId] = definition;
        state.State.Version++;
        _snapshot = null;
        await state.WriteStateAsync();
    }

    public Task<SegmentCatalogSnapshot?> GetIfNewer(long knownVersion)
    {
        if (knownVersion == state.State.Version)
        {
            return Task.FromResult<SegmentCatalogSnapshot?>(null);
        }

        _snapshot ??= new SegmentCatalogSnapshot(
            state.State.Version,
            [.. state.State.Definitions.Values.OrderBy(d => d.SegmentId, StringComparer.Ordinal)]);
        return Task.FromResult<SegmentCatalogSnapshot?>(_snapshot);
    }
}
