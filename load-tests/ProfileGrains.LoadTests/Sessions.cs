namespace ProfileGrains.LoadTests;

/// <summary>
/// Which synthetic people are in a session right now. One person is driven by one session at a time, so per-person
/// sequences (browse, then identify, then buy) stay in order and the stitching check can expect one customer per person.
/// </summary>
public sealed class PersonLocks(int first, int count)
{
    private readonly int[] _busy = new int[count];

    public int First { get; } = first;

    public int Count { get; } = count;

    public int? TryAcquire(Random r)
    {
        for (var attempt = 0; attempt < 64; attempt++)
        {
            var i = r.Next(Count);
            if (Interlocked.CompareExchange(ref _busy[i], 1, 0) == 0)
            {
                return First + i;
            }
        }

        var start = r.Next(Count);
        for (var k = 0; k < Count; k++)
        {
            var i = (start + k) % Count;
            if (Interlocked.CompareExchange(ref _busy[i], 1, 0) == 0)
            {
                return First + i;
            }
        }

        return null;
    }

    public void Release(int index) => Volatile.Write(ref _busy[index - First], 0);
}

public abstract class Session
{
    public required int PersonIndex { get; init; }

    public abstract bool Done { get; }
}

/// <summary>
/// A fixed number of concurrent sessions ("users"), each advanced by one RPC per step. When a session ends, its slot
/// starts a new one with another free person.
/// </summary>
public sealed class SessionPool<T>(int slots, PersonLocks people, Func<int, Random, T> start, Func<T, StepContext, Task> step)
    where T : Session
{
    private readonly T?[] _slots = new T?[Math.Max(1, slots)];
    private readonly int[] _busy = new int[Math.Max(1, slots)];

    public int Slots => _slots.Length;

    public async Task StepAsync(StepContext ctx)
    {
        var slot = -1;
        for (var attempt = 0; slot < 0; attempt++)
        {
            var origin = ctx.Random.Next(_slots.Length);
            for (var k = 0; k < _slots.Length; k++)
            {
                var i = (origin + k) % _slots.Length;
                if (Interlocked.CompareExchange(ref _busy[i], 1, 0) == 0)
                {
                    slot = i;
                    break;
                }
            }

            if (slot < 0)
            {
                // More concurrent steps than sessions (tiny --customers): wait for one, but never forever.
                if (attempt > 5_000 || ctx.CancellationToken.IsCancellationRequested)
                {
                    throw new InvalidOperationException("no free session; use more --customers or less concurrency");
                }

                await Task.Delay(1, ctx.CancellationToken).ConfigureAwait(false);
            }
        }

        try
        {
            var session = _slots[slot];
            if (session is null)
            {
                var person = people.TryAcquire(ctx.Random) ?? throw new InvalidOperationException("no free person; use more --customers");
                session = start(person, ctx.Random);
                _slots[slot] = session;
            }

            await step(session, ctx).ConfigureAwait(false);
            if (session.Done)
            {
                _slots[slot] = null;
                people.Release(session.PersonIndex);
            }
        }
        finally
        {
            Volatile.Write(ref _busy[slot], 0);
        }
    }
}

public static class SessionPools
{
    /// <summary>Twice as many sessions as calls can be in flight, but at most half the people, so a free one is easy to find.</summary>
    public static int SlotsFor(LoadModel model, int people) =>
        Math.Clamp(2 * Math.Max(model.Concurrency, model.Open ? model.MaxInFlight : 1), 1, Math.Max(1, people / 2));
}
