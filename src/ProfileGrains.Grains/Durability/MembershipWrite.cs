namespace ProfileGrains.Grains;

/// <summary>
/// A customer's segment memberships that changed, as of its membership version: the rows a durable store keeps so that
/// segment shards can be rebuilt from them. <paramref name="Shard"/> is the customer's shard, the same in every segment.
/// </summary>
public sealed record MembershipWrite(int Shard, long Version, IReadOnlyList<string> Entered, IReadOnlyList<string> Exited)
{
    public bool IsEmpty => Entered.Count == 0 && Exited.Count == 0;
}
