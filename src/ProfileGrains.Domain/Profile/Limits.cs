namespace ProfileGrains.Domain;

/// <summary>The documented input limits; the README's limits table is generated from these numbers by hand, keep both in step.</summary>
public static class Limits
{
    public const int MaxRawIdentifierLength = 320;
    public const int MaxOpaqueIdentifierLength = 128;
    public const int MaxIdentifiersPerRequest = 20;

    /// <summary>Consent decisions kept as proof per customer, oldest dropped first.</summary>
    public const int MaxConsentHistory = 200;

    /// <summary>A retailer's own consent purpose: name length, and how many may be configured.</summary>
    public const int MaxPurposeNameLength = 40;

    public const int MaxCustomPurposes = 20;

    /// <summary>Consent decisions in one request: at most one per channel (every channel included) and purpose.</summary>
    public const int MaxConsentsPerRequest = 28;
    public const int MaxIdentifiersPerCustomer = 50;
    public const int MaxEventIdLength = 128;
    public const int MaxShortTextLength = 256;
    public const int MaxPathLength = 2048;
    public const int MaxCustomProperties = 32;
    public const int MaxPropertyKeyLength = 64;
    public const int MaxPropertyValueLength = 1024;

    /// <summary>Free text a customer wrote: a satisfaction comment, a review, a suggestion.</summary>
    public const int MaxCommentLength = 4000;

    /// <summary>A payment provider's token or fingerprint for the instrument used.</summary>
    public const int MaxPaymentInstrumentLength = 128;

    /// <summary>Lines kept in a customer's cart; beyond them a new product is not added (the event still counts).</summary>
    public const int MaxCartLines = 100;

    /// <summary>Active subscriptions kept per customer.</summary>
    public const int MaxSubscriptions = 20;
    public const int MaxLineItems = 500;
    public const int MaxItemQuantity = 100_000;
    public const int MaxBatchSize = 1000;
    public const int MaxAddresses = 5;
    public const int MaxAddressLines = 4;
    public const int MaxSetItems = 50;
    public const int MaxCustomAttributes = 50;
    public const int MaxSizes = 20;
    public const int MaxSegmentConditions = 32;
    public const int MaxSegmentIdLength = 64;
    public const int MaxSegmentsPerCustomerEvaluation = 1000;
    public const int MaxReceiveMessageBytes = 4 * 1024 * 1024;

    /// <summary>How many recent event ids (and purchase order ids) each customer remembers to drop retries.</summary>
    public const int DedupeMemoryPerCustomer = 512;

    /// <summary>Distinct product categories kept per customer for affinity; the least used is evicted.</summary>
    public const int MaxTrackedCategories = 32;

    /// <summary>Distinct stores kept per customer to find the preferred one.</summary>
    public const int MaxTrackedStores = 16;

    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);
    public static readonly DateTimeOffset EarliestEventTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public const decimal MaxMoneyAmount = 1_000_000_000m;
}
