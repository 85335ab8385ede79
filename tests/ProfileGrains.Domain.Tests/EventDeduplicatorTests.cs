namespace ProfileGrains.Domain.Tests;

public class EventDeduplicatorTests
{
    private const int Capacity = Limits.DedupeMemoryPerCustomer;

    private static string Key(int i) => "e:evt-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static EventDeduplicator WithKeys(int count)
    {
        var dedupe = new EventDeduplicator();
        for (var i = 0; i < count; i++)
        {
            Assert.True(dedupe.TryAdd(Key(i)));
        }

        return dedupe;
    }

    [Fact]
    public void Retry_IsDetected()
    {
        var dedupe = new EventDeduplicator();
        Assert.False(dedupe.Contains("e:1"));
        Assert.True(dedupe.TryAdd("e:1"));
        Assert.True(dedupe.Contains("e:1"));
        Assert.False(dedupe.TryAdd("e:1"));
        Assert.False(dedupe.Contains("e:2"));
        Assert.True(dedupe.TryAdd("e:2"));
    }

    [Fact]
    public void Keys_AreCaseAndByteSensitive()
    {
        var dedupe = new EventDeduplicator();
        dedupe.TryAdd("e:ABC");
        Assert.False(dedupe.Contains("e:abc"));
        Assert.False(dedupe.Contains("e:ABC "));
        Assert.True(dedupe.Contains("e:ABC"));
    }

    [Fact]
    public void UpToCapacity_EveryKeyIsRemembered()
    {
        var dedupe = WithKeys(Capacity);
        Assert.All(Enumerable.Range(0, Capacity), i => Assert.True(dedupe.Contains(Key(i))));
        Assert.Equal(Capacity, dedupe.Recent.Count);
    }

    [Fact]
    public void AfterCapacityNewerKeys_TheOldestIsForgotten_AndTheNextOldestIsStillKnown()
    {
        var dedupe = WithKeys(Capacity + 1); // key 0, then 512 newer keys

        Assert.False(dedupe.Contains(Key(0)));
        Assert.True(dedupe.Contains(Key(1)));
        Assert.True(dedupe.Contains(Key(Capacity)));
        Assert.True(dedupe.TryAdd(Key(0)), "a retry older than the documented bound is counted again");
    }

    [Fact]
    public void OverManyWraps_ExactlyTheLastCapacityKeysAreRemembered_AndMemoryStaysBounded()
    {
        const int total = (3 * Capacity) + 7;
        var dedupe = WithKeys(total);

        Assert.Equal(Capacity, dedupe.Recent.Count);
        Assert.All(Enumerable.Range(total - Capacity, Capacity), i => Assert.True(dedupe.Contains(Key(i)), $"key {i}"));
        Assert.All(Enumerable.Range(0, total - Capacity), i => Assert.False(dedupe.Contains(Key(i)), $"key {i}"));
    }

    [Fact]
    public void Retries_DoNotTakeASlot_SoTheyNeverPushOutOlderKeys()
    {
        var dedupe = WithKeys(Capacity);
        for (var i = 0; i < 1000; i++)
        {
            Assert.False(dedupe.TryAdd(Key(Capacity - 1)));
        }

        Assert.True(dedupe.Contains(Key(0)));
        Assert.Equal(Capacity, dedupe.Recent.Count);
    }

    [Fact]
    public void RebuiltFromItsSerializedFields_StillDetectsRetries()
    {
        var original = WithKeys(100);

        // What deserialization does: the persisted fields come back, the lookup set does not.
        var restored = new EventDeduplicator();
        restored.Recent.AddRange(original.Recent);
        Assert.Equal(original.Next, restored.Next);

        Assert.All(Enumerable.Range(0, 100), i => Assert.False(restored.TryAdd(Key(i))));
        Assert.True(restored.TryAdd(Key(100)));
    }

    [Fact]
    public void RebuiltFromAFullRing_ForgetsTheSameOldestKeyAsTheOriginal()
    {
        // After 2 x capacity keys the ring has wrapped and its write position is back at 0, so copying Recent
        // (without reflection on the private setter of Next) reproduces the persisted state exactly.
        var original = WithKeys(2 * Capacity);
        Assert.Equal(0, original.Next);
        var restored = new EventDeduplicator();
        restored.Recent.AddRange(original.Recent);

        Assert.True(original.TryAdd(Key(2 * Capacity)));
        Assert.True(restored.TryAdd(Key(2 * Capacity)));

        foreach (var dedupe in new[] { original, restored })
        {
            Assert.False(dedupe.Contains(Key(Capacity)));
            Assert.True(dedupe.Contains(Key(Capacity + 1)));
            Assert.True(dedupe.Contains(Key(2 * Capacity)));
            Assert.False(dedupe.Contains(Key(Capacity - 1)));
        }

        Assert.Equal(original.Recent, restored.Recent);
        Assert.Equal(original.Next, restored.Next);
    }

    [Fact]
    public void Digest_OfPrefixAndKey_IsTheDigestOfTheirConcatenation_SoPersistedDigestsStayValid()
    {
        Assert.Equal(EventDeduplicator.Digest("e:evt-1"), EventDeduplicator.Digest("e:", "evt-1"));
        Assert.Equal(EventDeduplicator.Digest("o:Commande-é-ü-日本"), EventDeduplicator.Digest("o:", "Commande-é-ü-日本"));
        Assert.NotEqual(EventDeduplicator.Digest("e:", "evt-1"), EventDeduplicator.Digest("o:", "evt-1"));

        var longKey = new string('é', 3000); // over the stack buffer
        Assert.Equal(EventDeduplicator.Digest("e:" + longKey), EventDeduplicator.Digest("e:", longKey));
    }

    [Fact]
    public void Digest_IsTheFirst64BitsOfSha256OfTheUtf8Key()
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("e:evt-1"));
        Assert.Equal(BitConverter.ToUInt64(hash), EventDeduplicator.Digest("e:evt-1"));
    }
}
