namespace ProfileGrains.Domain;

/// <summary>Rolling counters for every event type a customer has produced.</summary>
[GenerateSerializer, Alias("pg.BehaviourCounters")]
public sealed class BehaviourCounters
{
    // Written as a dictionary by earlier builds; moves into the compact map on first use.
    [Id(0)] private Dictionary<EventType, EventCounter>? _legacyByType;
    [Id(1)] private CompactDictionary<EventType, EventCounter>? _byType;

    public CompactDictionary<EventType, EventCounter> ByType => CompactDictionary.Read(ref _byType, ref _legacyByType);

    private CompactDictionary<EventType, EventCounter> ByTypeToChange => CompactDictionary.Write(ref _byType, ref _legacyByType);

    public void Record(EventType type, DateTimeOffset occurredAt, DateTimeOffset now)
    {
        if (!ByType.TryGetValue(type, out var counter))
        {
            counter = new EventCounter();
            ByTypeToChange[type] = counter;
        }

        counter.Record(occurredAt, now);
    }

    public long Count(EventType type, CounterWindow window, DateTimeOffset now) =>
        ByType.TryGetValue(type, out var counter) ? counter.Count(window, now) : 0;

    public void Remove(EventType type, DateTimeOffset occurredAt, DateTimeOffset now)
    {
        if (ByType.TryGetValue(type, out var counter))
        {
            counter.Remove(occurredAt, now);
        }
    }

    public void Absorb(BehaviourCounters other, DateTimeOffset now)
    {
        foreach (var (type, counter) in other.ByType)
        {
            if (ByType.TryGetValue(type, out var mine))
            {
                mine.Absorb(counter, now);
            }
            else
            {
                var copy = new EventCounter();
                copy.Absorb(counter, now);
                ByTypeToChange[type] = copy;
            }
        }
    }
}
