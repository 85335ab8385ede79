using Npgsql;

namespace ProfileGrains.Storage;

/// <summary>What the group-committed PostgreSQL writers (<see cref="GroupCommit{T}"/>) share beyond the queue.</summary>
internal static class PostgresBatch
{
    /// <summary>
    /// Runs a batch statement that returns the 1-based position of every item it wrote, and says for each item whether
    /// it was written: the shape both PostgreSQL batches share (an item missing from the result was refused as a conflict).
    /// </summary>
    public static async Task<bool[]> WrittenPositionsAsync(NpgsqlCommand command, int count)
    {
        var written = new bool[count];
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            written[reader.GetInt32(0) - 1] = true;
        }

        return written;
    }
}
