using Orleans.Storage;
using ProfileGrains.Grains;

namespace ProfileGrains.Storage;

/// <summary>
/// The profiles' grain storage, except that a customer being created (<see cref="NewCustomer"/>) is not read: it starts
/// empty, with no version, so a row stored under its id after all would make its first snapshot write fail rather than be
/// overwritten.
/// </summary>
internal sealed class NewCustomerGrainStorage(IGrainStorage stored) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        NewCustomer.IsBeingCreated(grainId) ? Task.CompletedTask : stored.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => stored.WriteStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => stored.ClearStateAsync(stateName, grainId, grainState);
}
