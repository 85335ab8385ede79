using ProfileGrains.Domain;

namespace ProfileGrains.Grains.Tests;

public sealed class IdentityCacheTests
{
    private static readonly IdentityKeyHasher Hasher = new(ProfileGrainsOptions.DevelopmentIdentityKeySecret);

    private static IdentityKey Id(int i) => Hasher.KeyOf(new CustomerIdentifier(IdentifierType.LoyaltyId, "LOY" + i));

    [Fact]
    public void Remembers_owners_within_its_capacity()
    {
        var cache = new IdentityCache(capacity: 100);
        cache.Set(Id(1), "c1");

        Assert.True(cache.TryGet(Id(1), out var owner));
        Assert.Equal("c1", owner);
        Assert.False(cache.TryGet(Id(2), out _));
    }

    [Fact]
    public void Stays_bounded_and_keeps_what_is_used()
    {
        var cache = new IdentityCache(capacity: 100);
        cache.Set(Id(0), "hot");
        for (var i = 1; i < 10_000; i++)
        {
            cache.Set(Id(i), "c" + i);
            Assert.True(cache.TryGet(Id(0), out _), $"the entry in use was dropped after {i} inserts");
        }

        Assert.InRange(cache.Count, 1, 100);
        Assert.False(cache.TryGet(Id(1), out _));
    }
}
