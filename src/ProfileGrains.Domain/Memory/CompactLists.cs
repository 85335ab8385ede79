namespace ProfileGrains.Domain;

/// <summary>
/// Growth for the small lists and arrays a profile keeps by the million (counter buckets, dedupe digests): one slot at
/// a time while short, then by a quarter, instead of List's doubling, which leaves half of every array empty on average.
/// </summary>
public static class CompactLists
{
    public static void EnsureRoomForOne<T>(List<T> list)
    {
        if (list.Count == list.Capacity)
        {
            list.Capacity = CapacityForOneMore(list.Count);
        }
    }

    /// <summary>The capacity to grow a full array of <paramref name="count"/> items to.</summary>
    public static int CapacityForOneMore(int count) => count < 8 ? count + 1 : count + (count / 4);
}
