namespace ProfileGrains.Domain;

/// <summary>
/// A timeline entry in bytes: when (8 bytes, first, so the order is read without decoding), type, channel, event id, then
/// the payload's kind and fields. A profile keeps hundreds of these for months, so they live as bytes in one buffer per
/// customer rather than as a few objects each, which the collector would otherwise trace and promote on every event.
/// </summary>
internal static class TimelineCodec
{
    public const int TypeOffset = 8;
    public const int ChannelOffset = 9;
    public const int EventIdOffset = 10;

    private enum Kind : byte
    {
        None = 0,
        Purchase = 1,
        Product = 2,
        PageView = 3,
        StoreVisit = 4,
        Campaign = 5,
        Message = 6,
        Custom = 7,
        Return = 8,
        Score = 9,
        Subscription = 10,
        Support = 11,
    }

    [ThreadStatic] private static CompactWriter? t_writer;

    /// <summary>The entry's bytes, valid until the next call on this thread.</summary>
    public static ReadOnlySpan<byte> Encode(string eventId, EventType type, long ticks, Channel channel, EventPayload? payload)
    {
        var w = t_writer ??= new CompactWriter();
        w.Reset();
        w.Int64(ticks);
        w.Byte(checked((byte)type));
        w.Byte(checked((byte)channel));
        w.String(eventId);
        Payload(w, payload);
        return w.Written;
    }

    public static long Ticks(ReadOnlySpan<byte> entry) => System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(entry);

    public static EventType Type(ReadOnlySpan<byte> entry) => (EventType)entry[TypeOffset];

    public static Channel Channel(ReadOnlySpan<byte> entry) => (Channel)entry[ChannelOffset];

    public static string EventId(ReadOnlySpan<byte> entry) => new CompactReader(entry[EventIdOffset..]).String()!;

    public static TimelineEntry Decode(ReadOnlySpan<byte> entry)
    {
        var r = new CompactReader(entry[EventIdOffset..]);
        var eventId = r.String()!;
        return new TimelineEntry(eventId, Type(entry), Ticks(entry), Channel(entry), Payload(ref r));
    }

    /// <summary>Whether this entry is a purchase with a line in the category whose UTF-8 is <paramref name="categoryUtf8"/>.</summary>
    public static bool IsPurchaseIn(ReadOnlySpan<byte> entry, ReadOnlySpan<byte> categoryUtf8)
    {
        var r = new CompactReader(entry[EventIdOffset..]);
        r.SkipString();
        if ((Kind)r.Byte() != Kind.Purchase)
        {
            return false;
        }

        r.SkipString();
        SkipMoney(ref r);
        var lines = (int)r.Varint();
        for (var i = 0; i < lines; i++)
        {
            r.SkipString();
            if (r.StringEquals(categoryUtf8))
            {
                return true;
            }

            r.Int();
            SkipOptionalMoney(ref r);
            SkipOptionalMoney(ref r);
        }

        return false;
    }

    private static void Payload(CompactWriter w, EventPayload? payload)
    {
        switch (payload)
        {
            case null:
                w.Byte((byte)Kind.None);
                break;
            case PurchasePayload p:
                w.Byte((byte)Kind.Purchase);
                w.String(p.OrderId);
                Money(w, p.Total);
                Lines(w, p.Items);
                w.String(p.StoreId);
                OptionalMoney(w, p.Discount);
                w.Int((int)p.PaymentKind);
                w.String(p.PaymentInstrument);
                break;
            case ProductPayload p:
                w.Byte((byte)Kind.Product);
                w.String(p.Sku);
                w.String(p.Category);
                w.Int(p.Quantity);
                OptionalMoney(w, p.UnitPrice);
                break;
            case PageViewPayload p:
                w.Byte((byte)Kind.PageView);
                w.String(p.Path);
                break;
            case StoreVisitPayload p:
                w.Byte((byte)Kind.StoreVisit);
                w.String(p.StoreId);
                break;
            case CampaignPayload p:
                w.Byte((byte)Kind.Campaign);
                w.String(p.Campaign);
                w.Int((int)p.Channel);
                break;
            case MessagePayload p:
                w.Byte((byte)Kind.Message);
                w.Int((int)p.Channel);
                w.String(p.Campaign);
                break;
            case CustomPayload p:
                w.Byte((byte)Kind.Custom);
                w.String(p.Name);
                w.Varint((ulong)p.Properties.Count);
                foreach (var (key, value) in p.Properties)
                {
                    w.String(key);
                    w.String(value);
                }

                break;
            case ReturnPayload p:
                w.Byte((byte)Kind.Return);
                w.String(p.OrderId);
                Money(w, p.Refund);
                Lines(w, p.Items);
                w.String(p.StoreId);
                w.String(p.Reason);
                break;
            case ScorePayload p:
                w.Byte((byte)Kind.Score);
                w.Int(p.Score);
                w.String(p.Sku);
                w.String(p.Text);
                w.Byte(p.Suggestion ? (byte)1 : (byte)0);
                break;
            case SubscriptionPayload p:
                w.Byte((byte)Kind.Subscription);
                w.String(p.Plan);
                w.String(p.Reason);
                break;
            case SupportPayload p:
                w.Byte((byte)Kind.Support);
                w.String(p.Topic);
                w.Int((int)p.Outcome);
                break;
            default:
                throw new NotSupportedException($"no timeline encoding for {payload.GetType().Name}");
        }
    }

    private static EventPayload? Payload(ref CompactReader r) => (Kind)r.Byte() switch
    {
        Kind.None => null,
        Kind.Purchase => new PurchasePayload(
            r.String()!, Money(ref r), Lines(ref r), r.String(), OptionalMoney(ref r), (PaymentKind)r.Int(), r.String()),
        Kind.Product => new ProductPayload(r.String()!, r.String(), r.Int(), OptionalMoney(ref r)),
        Kind.PageView => new PageViewPayload(r.String()!),
        Kind.StoreVisit => new StoreVisitPayload(r.String()!),
        Kind.Campaign => new CampaignPayload(r.String(), (ContactChannel)r.Int()),
        Kind.Message => new MessagePayload((ContactChannel)r.Int(), r.String()),
        Kind.Custom => new CustomPayload(r.String()!, Properties(ref r)),
        Kind.Return => new ReturnPayload(r.String()!, Money(ref r), Lines(ref r), r.String(), r.String()),
        Kind.Score => new ScorePayload(r.Int(), r.String(), r.String(), r.Byte() == 1),
        Kind.Subscription => new SubscriptionPayload(r.String()!, r.String()),
        Kind.Support => new SupportPayload(r.String(), (SupportOutcome)r.Int()),
        var kind => throw new InvalidDataException($"unknown timeline payload kind {kind}"),
    };

    private static void Lines(CompactWriter w, IReadOnlyList<LineItem> lines)
    {
        w.Varint((ulong)lines.Count);
        foreach (var line in lines)
        {
            w.String(line.Sku);
            w.String(line.Category);
            w.Int(line.Quantity);
            OptionalMoney(w, line.UnitPrice);
            OptionalMoney(w, line.Discount);
        }
    }

    private static LineItem[] Lines(ref CompactReader r)
    {
        var lines = new LineItem[(int)r.Varint()];
        for (var i = 0; i < lines.Length; i++)
        {
            lines[i] = new LineItem(r.String()!, r.String(), r.Int(), OptionalMoney(ref r), OptionalMoney(ref r));
        }

        return lines;
    }

    private static Dictionary<string, string> Properties(ref CompactReader r)
    {
        var count = (int)r.Varint();
        var properties = new Dictionary<string, string>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            properties[r.String()!] = r.String()!;
        }

        return properties;
    }

    private static void Money(CompactWriter w, Money money)
    {
        w.String(money.CurrencyCode);
        w.Decimal(money.Amount);
    }

    private static void OptionalMoney(CompactWriter w, Money? money)
    {
        w.Byte(money is null ? (byte)0 : (byte)1);
        if (money is { } m)
        {
            Money(w, m);
        }
    }

    private static Money Money(ref CompactReader r) => new(r.String()!, r.Decimal());

    private static Money? OptionalMoney(ref CompactReader r) => r.Byte() == 1 ? Money(ref r) : null;

    private static void SkipMoney(ref CompactReader r)
    {
        r.SkipString();
        r.Decimal();
    }

    private static void SkipOptionalMoney(ref CompactReader r)
    {
        if (r.Byte() == 1)
        {
            SkipMoney(ref r);
        }
    }
}
