namespace ProfileGrains.Domain;

/// <summary>What one remembered event id or order id counted. <see cref="Type"/> is 0 when unknown.</summary>
[GenerateSerializer, Alias("pg.EventTrace")]
public struct EventTrace
{
    [Id(0)] public EventType Type;
    [Id(1)] public long OccurredAtTicks;

    /// <summary>Set on the digest of a purchase order id: what the order added to the transaction summary.</summary>
    [Id(2)] public OrderTrace? Order;

    /// <summary>Set on a message_sent event: the channel whose contact count it added to.</summary>
    [Id(3)] public ContactChannel? MessageChannel;
}
