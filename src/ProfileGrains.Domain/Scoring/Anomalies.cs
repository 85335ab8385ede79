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

    /// <summary>Whether one signal (ignoring case) is on, without listing them all.</summary>
    public static bool Has(CustomerProfile profile, DateTimeOffset now, ScoringOptions options, string signal)
    {
        var dayAgo = now.UtcTicks - InstrumentAndDeviceWindow.Ticks;
        return signal.ToLowerInvariant() switch
        {
            PurchaseVelocity => options.AnomalyPurchasesPerHour > 0 && profile.Counters.Count(EventType.Purchase, CounterWindow.OneHour, now) >= options.AnomalyPurchasesPerHour,
            ReturnVelocity => options.AnomalyReturnsPerWeek > 0 && profile.Counters.Count(EventType.Return, CounterWindow.SevenDays, now) >= options.AnomalyReturnsPerWeek,
            ManyPaymentInstruments => options.AnomalyPaymentInstrumentsPerDay > 0 && profile.PaymentInstruments?.CountSince(dayAgo) >= options.AnomalyPaymentInstrumentsPerDay,
            ManyDevices => options.AnomalyDevicesPerDay > 0 && profile.NewDevices?.CountSince(dayAgo) >= options.AnomalyDevicesPerDay,
            ManyAddresses => options.AnomalyAddressesPerDay > 0 && profile.NewAddresses?.CountSince(dayAgo) >= options.AnomalyAddressesPerDay,
            _ => false,
        };
    }

    public static IReadOnlyList<string> Detect(CustomerProfile profile, DateTimeOffset now, ScoringOptions options)
    {
        List<string>? found = null;
        foreach (var signal in All)
        {
            if (Has(profile, now, options, signal))
            {
                (found ??= []).Add(signal);
            }
        }

        return found ?? (IReadOnlyList<string>)[];
    }
}
