using ProfileGrains.Abstractions;
using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

[GrainType("do-not-call-list")]
public sealed class DoNotCallListGrain(
    [PersistentState("do-not-call", StorageNames.Segments)] IPersistentState<DoNotCallListState> state) : Grain, IDoNotCallListGrain
{
    public async Task<long> Replace(IReadOnlyCollection<ulong> numbers)
    {
        state.State.List = new DoNotCallList(state.State.List.Version + 1, [.. numbers]);
        await state.WriteStateAsync();
        return state.State.List.Version;
    }

    public Task<DoNotCallList?> GetIfNewer(long knownVersion) =>
        Task.FromResult(state.State.List.Version > knownVersion ? state.State.List : null);
}

[GenerateSerializer, Alias("pg.DoNotCallListState")]
public sealed class DoNotCallListState
{
    [Id(0)] public DoNotCallList List { get; set; } = DoNotCallList.Empty;
}
