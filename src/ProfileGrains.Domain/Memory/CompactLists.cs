namespace ProfileGrains.Domain;

/// <summary>
/// Growth for the small lists a profile keeps by the million (counter buckets, dedupe digests): one slot at a time
/// while short, then by a quarter, instead of List's doubling, which leaves half of every array empty on average.
/// </summary>
public static class CompactLists
{
    public static void EnsureRoomForOne<T>(List<T> list)
    {
        if (list.Count == list.Capacity)
        {
            list.Capacity = list.Count < 8 ? list.Count + 1 : list.Count + (list.Count / 4);
        }
    }
}
