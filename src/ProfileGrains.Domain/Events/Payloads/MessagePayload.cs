namespace ProfileGrains.Domain;

/// <summary>
/// A campaign message and what became of it: sent, delivered, bounced, or the customer unsubscribing from the channel.
/// The alias keeps the name it had when only sent messages carried it, so journals written then still read.
/// </summary>
[GenerateSerializer, Immutable, Alias("pg.MessageSentPayload")]
public sealed record MessagePayload([property: Id(0)] ContactChannel Channel, [property: Id(1)] string? Campaign) : EventPayload;
