namespace ProfileGrains.Domain;

/// <summary>
/// The plans and programmes the customer subscribes to: each as of its latest start or stop by when it happened, so a
/// stop that arrives before its start still wins. Bounded by <see cref="Limits.MaxSubscriptions"/>: a stopped plan,
/// then the oldest, makes room.
/// </summary>
[GenerateSerializer, Alias("pg.Subscriptions")]
public sealed class Subscriptions
{
    [Id(0)] public Dictionary<string, SubscriptionState> Plans { get; private set; } = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Active => [.. Plans.Where(p => p.Value.Active).Select(p => p.Key).Order(StringComparer.Ordinal)];

    public void Change(string plan, bool active, long ticks)
    {
        if (Plans.TryGetValue(plan, out var known))
        {
            if (ticks >= known.ChangedAtTicks)
            {
                Plans[plan] = new SubscriptionState(active, ticks);
            }

            return;
        }

        if (Plans.Count >= Limits.MaxSubscriptions)
        {
            var evicted = Plans.OrderBy(p => p.Value.Active).ThenBy(p => p.Value.ChangedAtTicks).First().Key;
            Plans.Remove(evicted);
        }

        Plans[SharedStrings.Share(plan)] = new SubscriptionState(active, ticks);
    }

    public void Absorb(Subscriptions other)
    {
        foreach (var (plan, state) in other.Plans)
        {
            Change(plan, state.Active, state.ChangedAtTicks);
        }
    }
}
