using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using ProfileGrains.Abstractions;
using ProfileGrains.Domain;

namespace ProfileGrains.Grains.Tests;

/// <summary>
/// An identity shard in front of a store whose commits the test holds and releases: while one identifier's change is
/// being written, the shard's other identifiers are read and claimed, and nobody is told an owner that is not durable.
/// Its own one-silo cluster, because the store is the point.
/// </summary>
public sealed class IdentityShardTests(IdentityShardTests.GatedCluster fixture) : IClassFixture<IdentityShardTests.GatedCluster>
{
    private static readonly GatedIdentityStore Store = new();

    [Fact]
    public async Task While_one_claim_is_being_committed_the_shard_answers_for_its_other_identifiers()
    {
        var shard = fixture.Grains.GetGrain<IIdentityShardGrain>(1);
        var (held, other) = (KeyInShard(1, 1), KeyInShard(1, 2));
        Store.Hold(held);

        var claim = shard.Claim(held, "customer-a");
        await Store.WaitUntilWriting(held);

        // Another identifier of the same shard: read and claimed while the first commit is outstanding.
        Assert.Null(await shard.GetOwner(other).WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal("customer-b", await shard.Claim(other, "customer-b").WaitAsync(TimeSpan.FromSeconds(5)));

        // The identifier being written: nobody learns its owner, nor takes it, before the owner is durable.
        var read = shard.GetOwner(held);
        var rival = shard.Claim(held, "customer-c");
        await Task.Delay(300);
        Assert.False(claim.IsCompleted);
        Assert.False(read.IsCompleted);
        Assert.False(rival.IsCompleted);

        Store.Release(held);
        Assert.Equal("customer-a", await claim.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal("customer-a", await read.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal("customer-a", await rival.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(["customer-a"], Store.WrittenOwners(held));
    }

    [Fact]
    public async Task A_refused_commit_fails_the_claim_and_every_caller_waiting_on_it_and_the_shard_reloads_what_is_durable()
    {
        var shard = fixture.Grains.GetGrain<IIdentityShardGrain>(2);
        var (refused, durable) = (KeyInShard(2, 1), KeyInShard(2, 2));
        Assert.Equal("customer-d", await shard.Claim(durable, "customer-d"));
        Store.Hold(refused);

        var claim = shard.Claim(refused, "customer-e");
        await Store.WaitUntilWriting(refused);
        var read = shard.GetOwner(refused);
        await Task.Delay(300);
        Assert.False(read.IsCompleted); // waiting for the claim's commit, not answered with an owner that may not last
        Store.Fail(refused);

        await Assert.ThrowsAsync<StorageUnavailableException>(() => claim.WaitAsync(TimeSpan.FromSeconds(5)));
        await Assert.ThrowsAsync<StorageUnavailableException>(() => read.WaitAsync(TimeSpan.FromSeconds(5)));

        // The next activation holds what was written, and not the claim that was never acknowledged.
        string? owner = "customer-e";
        for (var attempt = 0; attempt < 50 && owner is not null; attempt++)
        {
            try
            {
                owner = await shard.GetOwner(refused);
            }
            catch (StorageUnavailableException)
            {
                await Task.Delay(100);
            }
        }

        Assert.Null(owner);
        Assert.Equal("customer-d", await shard.GetOwner(durable));
    }

    /// <summary>A key that <see cref="IdentityKey.Shard"/> places in <paramref name="shard"/> of the default 256.</summary>
    private static IdentityKey KeyInShard(int shard, int n) => new((ulong)Environment.TickCount64 ^ (ulong)n << 40, (ulong)(shard + (256 * (n + (Random.Shared.Next(1 << 20) << 4)))));

    public sealed class GatedCluster : IAsyncLifetime
    {
        private TestCluster _cluster = null!;

        public IGrainFactory Grains => _cluster.GrainFactory;

        public async Task InitializeAsync()
        {
            var builder = new TestClusterBuilder(1);
            builder.AddSiloBuilderConfigurator<SiloConfigurator>();
            _cluster = builder.Build();
            await _cluster.DeployAsync();
        }

        public async Task DisposeAsync() => await _cluster.StopAllSilosAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            silo.Services.AddSingleton<IIdentityStore>(Store);
            silo.AddProfileGrainsMemoryStorage();
            silo.Services.AddSingleton(new EngineClock(ClusterFixture.Clock));
            silo.Services.AddProfileGrains(silo.Configuration);
        }
    }

    /// <summary>Writes complete at once, except those of keys the test holds: they wait to be released or failed.</summary>
    private sealed class GatedIdentityStore : IIdentityStore
    {
        private readonly ConcurrentDictionary<IdentityKey, TaskCompletionSource> _held = new();
        private readonly ConcurrentDictionary<IdentityKey, TaskCompletionSource> _writing = new();
        private readonly ConcurrentQueue<(int Shard, IdentityRow Row)> _written = new();

        public void Hold(IdentityKey key) => _held[key] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release(IdentityKey key) => Take(key).SetResult();

        public void Fail(IdentityKey key) => Take(key).SetException(new DurableWriteException("refused by the test"));

        public Task WaitUntilWriting(IdentityKey key) => Writing(key).Task.WaitAsync(TimeSpan.FromSeconds(5));

        public IReadOnlyList<string> WrittenOwners(IdentityKey key) => [.. _written.Where(w => w.Row.Key == key).Select(w => w.Row.CustomerId)];

        public Task<IReadOnlyList<IdentityRow>> LoadShardAsync(int shard, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<IdentityRow>>([.. _written.Where(w => w.Shard == shard).Select(w => w.Row)]);

        public Task DeleteAsync(int shard, IReadOnlyList<IdentityKey> keys) => Task.CompletedTask;

        public ValueTask WriteAsync(int shard, IdentityRow row)
        {
            if (!_held.TryGetValue(row.Key, out var gate))
            {
                _written.Enqueue((shard, row));
                return ValueTask.CompletedTask;
            }

            Writing(row.Key).TrySetResult();
            return new ValueTask(WriteWhenReleased(gate.Task, shard, row));
        }

        private async Task WriteWhenReleased(Task gate, int shard, IdentityRow row)
        {
            await gate;
            _written.Enqueue((shard, row));
        }

        private TaskCompletionSource Writing(IdentityKey key) => _writing.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

        private TaskCompletionSource Take(IdentityKey key) => _held.TryRemove(key, out var gate) ? gate : throw new InvalidOperationException("not held");
    }
}
