using ProfileGrains.Abstractions;
using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

[GrainType("segment-catalog")]
public sealed class SegmentCatalogGrain(
    [PersistentState("catalog", StorageNames.Segments)] IPersistentState<SegmentCatalogState> state) : Grain, ISegmentCatalogGrain
{
    private SegmentCatalogSnapshot? _snapshot;

    public async Task<long> Register(SegmentDefinition definition)
    {
        if (state.State.Definitions.TryGetValue(definition.SegmentId, out var known) && known.Version >= definition.Version)
        {
            return state.State.Version;
        }

        state.State.Definitions[definition.SegmentId] = definition;
        state.State.Deleted.Remove(definition.SegmentId);
        state.State.Version++;
        _snapshot = null;
        await state.WriteStateAsync();
        return state.State.Version;
    }

    public async Task Unregister(string segmentId, long version)
    {
        if (state.State.Definitions.TryGetValue(segmentId, out var known) && known.Version <= version)
        {
            state.State.Definitions.Remove(segmentId);
            state.State.Deleted.Add(segmentId);
            state.State.Version++;
            _snapshot = null;
            await state.WriteStateAsync();
        }
    }

    public Task<SegmentCatalogSnapshot?> GetIfNewer(long knownVersion)
    {
        if (knownVersion == state.State.Version)
        {
            return Task.FromResult<SegmentCatalogSnapshot?>(null);
        }

        _snapshot ??= new SegmentCatalogSnapshot(
            state.State.Version,
            [.. state.State.Definitions.Values.OrderBy(d => d.SegmentId, StringComparer.Ordinal)],
            [.. state.State.Deleted.Order(StringComparer.Ordinal)]);
        return Task.FromResult<SegmentCatalogSnapshot?>(_snapshot);
    }
}
