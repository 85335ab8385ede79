namespace ProfileGrains.Domain;

/// <summary>
/// Unusual velocity on one customer, for the seller to see and for rules to act on (<c>anomalies contains
/// "purchase_velocity"</c>): many purchases in an hour, many returns in a week, many payment instruments, new devices or
/// new postal addresses in a day. Thresholds are in <see cref="ScoringOptions"/>; a signal holds while its count is at or above its threshold.
/// </summary>
public static class Anomalies
{
    public const string PurchaseVelocity = "purchase_velocity";
    public const string ReturnVelocity = "return_velocity";
    public const string ManyPaymentInstruments = "many_payment_instruments";
    public const string ManyDevices = "many_devices";
    public const string ManyAddresses = "many_addresses";

    public static readonly IReadOnlyList<string> All = [PurchaseVelocity, ReturnVelocity, ManyPaymentInstruments, ManyDevices, ManyAddresses];

    public static readonly TimeSpan InstrumentAndDeviceWindow = TimeSpan.FromDays(1);

    public static IReadOnlyList<string> Detect(CustomerProfile profile, DateTimeOffset now, ScoringOptions options)
    {
        List<string>? found = null;
        if (options.AnomalyPurchasesPerHour > 0 && profile.Counters.Count(EventType.Purchase, CounterWindow.OneHour, now) >= options.AnomalyPurchasesPerHour)
        {
            (found ??= []).Add(PurchaseVelocity);
        }

        if (options.AnomalyReturnsPerWeek > 0 && profile.Counters.Count(EventType.Return, CounterWindow.SevenDays, now) >= options.AnomalyReturnsPerWeek)
        {
            (found ??= []).Add(ReturnVelocity);
        }

        var dayAgo = now.UtcTicks - InstrumentAndDeviceWindow.Ticks;
        if (options.AnomalyPaymentInstrumentsPerDay > 0 && profile.PaymentInstruments?.CountSince(dayAgo) >= options.AnomalyPaymentInstrumentsPerDay)
        {
            (found ??= []).Add(ManyPaymentInstruments);
        }

        if (options.AnomalyDevicesPerDay > 0 && profile.NewDevices?.CountSince(dayAgo) >= options.AnomalyDevicesPerDay)
        {
            (found ??= []).Add(ManyDevices);
        }

        if (options.AnomalyAddressesPerDay > 0 && profile.NewAddresses?.CountSince(dayAgo) >= options.AnomalyAddressesPerDay)
        {
            (found ??= []).Add(ManyAddresses);
        }

        return found ?? (IReadOnlyList<string>)[];
    }
}
