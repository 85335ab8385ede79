using Npgsql;
using NpgsqlTypes;
using ProfileGrains.Grains;

namespace ProfileGrains.Storage;

/// <summary>
/// Segment membership rows as the array parameters of one upsert. One statement cannot update a row twice, so a
/// customer's memberships changing twice in one batch keep only the newer version.
/// </summary>
internal sealed class MembershipRowsBatch
{
    /// <summary>The upsert of rows unnested from parameters $2–$7 (customer, segment, shard, version, member, journal seq).</summary>
    public const string UpsertColumns = "customer_id, segment_id, shard, version, is_member, seq";

    private readonly Dictionary<(string Segment, string Customer), int> _index = [];
    private readonly List<(string Customer, string Segment, int Shard, long Version, bool IsMember, long Sequence)> _rows = [];

    public int Count => _rows.Count;

    public void Add(string customerId, MembershipWrite write, long sequence = 0)
    {
        foreach (var segmentId in write.Entered)
        {
            Add(customerId, segmentId, write.Shard, write.Version, isMember: true, sequence);
        }

        foreach (var segmentId in write.Exited)
        {
            Add(customerId, segmentId, write.Shard, write.Version, isMember: false, sequence);
        }
    }

    /// <summary>Adds the arrays as parameters, in the order of <see cref="UpsertColumns"/>.</summary>
    public void AddParameters(NpgsqlCommand command)
    {
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. _rows.Select(r => r.Customer)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Varchar });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. _rows.Select(r => r.Segment)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Varchar });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. _rows.Select(r => r.Shard)] });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. _rows.Select(r => r.Version)] });
        command.Parameters.Add(new NpgsqlParameter<bool[]> { TypedValue = [.. _rows.Select(r => r.IsMember)] });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. _rows.Select(r => r.Sequence)] });
    }

    private void Add(string customerId, string segmentId, int shard, long version, bool isMember, long sequence)
    {
        var row = (customerId, segmentId, shard, version, isMember, sequence);
        if (!_index.TryGetValue((segmentId, customerId), out var at))
        {
            _index[(segmentId, customerId)] = _rows.Count;
            _rows.Add(row);
        }
        else if (_rows[at].Version < version)
        {
            _rows[at] = row;
        }
    }
}
