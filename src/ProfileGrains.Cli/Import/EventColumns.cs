using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using ProfileGrains.Protos.V1;

namespace ProfileGrains.Cli.Import;

/// <summary>
/// A past-events CSV: event_id, type (purchase, product_view, page_view, add_to_cart, store_visit), occurred_at (ISO
/// 8601), channel (web, app, store, call_centre, email), identifier columns as for customers, and the payload's own:
/// order_id, total, currency, store_id (purchase); sku, category, quantity, unit_price (views and carts); path (page
/// view). Events with richer payloads (purchase lines, campaigns, reviews…) are imported as JSON Lines.
/// </summary>
public static class EventColumns
{
    private static readonly HashSet<string> Columns =
        ["event_id", "type", "occurred_at", "channel", .. CustomerColumns.IdentifierColumns.Keys,
         "order_id", "total", "currency", "store_id", "sku", "category", "quantity", "unit_price", "path"];

    public static string Description => string.Join(", ", Columns);

    public static bool IsKnown(string column) => Columns.Contains(column);

    public static Event ToEvent(IReadOnlyDictionary<string, string> values)
    {
        var e = new Event
        {
            EventId = values.GetValueOrDefault("event_id", string.Empty),
            Channel = values.GetValueOrDefault("channel", "web").ToLowerInvariant() switch
            {
                "web" => Channel.Web,
                "app" => Channel.App,
                "store" => Channel.Store,
                "call_centre" => Channel.CallCentre,
                "email" => Channel.Email,
                _ => throw new ImportFieldException("channel", "must be web, app, store, call_centre or email"),
            },
        };
        if (!values.TryGetValue("occurred_at", out var when) || !DateTimeOffset.TryParse(when, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var occurredAt))
        {
            throw new ImportFieldException("occurred_at", "is required, as an ISO 8601 instant");
        }

        e.OccurredAt = Timestamp.FromDateTimeOffset(occurredAt);
        e.Identifiers.AddRange(CustomerColumns.Identifiers(values));

        switch (values.GetValueOrDefault("type", string.Empty).ToLowerInvariant())
        {
            case "purchase":
                e.Type = EventType.Purchase;
                e.Purchase = new Purchase
                {
                    OrderId = values.GetValueOrDefault("order_id", string.Empty),
                    Total = Amount(values, "total") ?? throw new ImportFieldException("total", "is required for a purchase"),
                    StoreId = values.GetValueOrDefault("store_id", string.Empty),
                };
                break;
            case "product_view":
                e.Type = EventType.ProductView;
                e.ProductView = new ProductView { Sku = values.GetValueOrDefault("sku", string.Empty), Category = values.GetValueOrDefault("category", string.Empty) };
                break;
            case "add_to_cart":
                e.Type = EventType.AddToCart;
                e.AddToCart = new CartChange
                {
                    Sku = values.GetValueOrDefault("sku", string.Empty),
                    Category = values.GetValueOrDefault("category", string.Empty),
                    Quantity = values.TryGetValue("quantity", out var q) && int.TryParse(q, CultureInfo.InvariantCulture, out var quantity) ? quantity : 1,
                    UnitPrice = Amount(values, "unit_price"),
                };
                break;
            case "page_view":
                e.Type = EventType.PageView;
                e.PageView = new PageView { Path = values.GetValueOrDefault("path", string.Empty) };
                break;
            case "store_visit":
                e.Type = EventType.StoreVisit;
                e.StoreVisit = new StoreVisit { StoreId = values.GetValueOrDefault("store_id", string.Empty) };
                break;
            default:
                throw new ImportFieldException("type", "must be purchase, product_view, add_to_cart, page_view or store_visit (other types: JSON Lines)");
        }

        return e;
    }

    private static Money? Amount(IReadOnlyDictionary<string, string> values, string column)
    {
        if (!values.TryGetValue(column, out var text))
        {
            return null;
        }

        if (!decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount))
        {
            throw new ImportFieldException(column, "must be an amount such as 42.50");
        }

        return CliCommands.Money(amount, values.GetValueOrDefault("currency", "EUR").ToUpperInvariant());
    }
}
