using System.Threading.Channels;

namespace ProfileGrains.Storage;

/// <summary>How group commit and batched reads take their work: as soon as anything waits, everything waiting, up to a batch.</summary>
internal static class ChannelBatches
{
    /// <summary>
    /// Hands each batch of at most <paramref name="maxBatch"/> queued entries to <paramref name="handle"/>, with the items
    /// <paramref name="itemOf"/> takes from them beside it, until the channel is completed and empty. The lists are reused.
    /// </summary>
    public static async Task DrainAsync<TPending, TItem>(ChannelReader<TPending> reader, int maxBatch, Func<TPending, TItem> itemOf, Func<List<TPending>, List<TItem>, Task> handle)
    {
        var batch = new List<TPending>(maxBatch);
        var items = new List<TItem>(maxBatch);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            items.Clear();
            while (batch.Count < maxBatch && reader.TryRead(out var pending))
            {
                batch.Add(pending);
                items.Add(itemOf(pending));
            }

            if (batch.Count > 0)
            {
                await handle(batch, items).ConfigureAwait(false);
            }
        }
    }
}
