namespace ProfileGrains.Domain;

/// <summary>
/// Thresholds and parameters of <see cref="CustomerScoring.Compute"/>. Plain settable scalars (no arrays, whose
/// configuration binding appends to the defaults), so the class binds from a configuration section such as
/// <c>ProfileGrains:Scoring</c>. <see cref="Validate"/> rejects inconsistent values with an <see cref="ArgumentException"/>.
/// </summary>
public sealed class ScoringOptions
{
    // Recency: whole days since the last purchase. ≤ Score5 → 5, ≤ Score4 → 4, ≤ Score3 → 3, ≤ Score2 → 2, else 1.
    public int RecencyDaysScore5 { get; set; } = 30;
    public int RecencyDaysScore4 { get; set; } = 60;
    public int RecencyDaysScore3 { get; set; } = 120;
    public int RecencyDaysScore2 { get; set; } = 240;

    // Frequency: orders in the last 365 days (the Purchase counter's one-year window). The score is the highest n whose
    // threshold is reached (≥), and at least 1 for anyone who ever bought.
    public int FrequencyOrdersScore1 { get; set; } = 1;
    public int FrequencyOrdersScore2 { get; set; } = 2;
    public int FrequencyOrdersScore3 { get; set; } = 4;
    public int FrequencyOrdersScore4 { get; set; } = 8;
    public int FrequencyOrdersScore5 { get; set; } = 15;

    /// <summary>Currency of the monetary score and of historical and expected value. Spend in other currencies is not converted, so it does not count.</summary>
    public string ReportingCurrency { get; set; } = "EUR";

    // Monetary: lifetime spend in the reporting currency. Highest n whose threshold is reached (≥), at least 1 for a buyer.
    public decimal MonetaryScore1 { get; set; } = 50m;
    public decimal MonetaryScore2 { get; set; } = 150m;
    public decimal MonetaryScore3 { get; set; } = 400m;
    public decimal MonetaryScore4 { get; set; } = 1000m;
    public decimal MonetaryScore5 { get; set; } = 2500m;

    /// <summary>Purchase rhythm assumed for a customer with a single order (their own rhythm is unknown).</summary>
    public double DefaultPurchaseIntervalDays { get; set; } = 90;

    /// <summary>Overdue ratio (days since last purchase ÷ rhythm) at which churn risk is 0.5.</summary>
    public double ChurnHalfRiskRatio { get; set; } = 2;

    /// <summary>How sharply churn risk rises around <see cref="ChurnHalfRiskRatio"/> (the exponent of the curve).</summary>
    public double ChurnSteepness { get; set; } = 3;

    // Anomaly signals (see Anomalies): a signal is on while its count reaches the threshold; 0 turns it off.
    public int AnomalyPurchasesPerHour { get; set; } = 10;
    public int AnomalyReturnsPerWeek { get; set; } = 5;
    public int AnomalyPaymentInstrumentsPerDay { get; set; } = 4;
    public int AnomalyDevicesPerDay { get; set; } = 10;
    public int AnomalyAddressesPerDay { get; set; } = 3;

    /// <summary>Throws <see cref="ArgumentException"/> unless every threshold is positive and each list strictly ascending.</summary>
    public void Validate()
    {
        Ascending("Recency day thresholds (score 5, 4, 3, 2)", RecencyDaysScore5, RecencyDaysScore4, RecencyDaysScore3, RecencyDaysScore2);
        Ascending("Frequency order thresholds (score 1..5)", FrequencyOrdersScore1, FrequencyOrdersScore2, FrequencyOrdersScore3, FrequencyOrdersScore4, FrequencyOrdersScore5);
        Ascending("Monetary thresholds (score 1..5)", MonetaryScore1, MonetaryScore2, MonetaryScore3, MonetaryScore4, MonetaryScore5);
        if (string.IsNullOrWhiteSpace(ReportingCurrency))
        {
            throw new ArgumentException("The reporting currency is required.", nameof(ReportingCurrency));
        }

        Positive(nameof(DefaultPurchaseIntervalDays), DefaultPurchaseIntervalDays);
        Positive(nameof(ChurnHalfRiskRatio), ChurnHalfRiskRatio);
        Positive(nameof(ChurnSteepness), ChurnSteepness);
        NotNegative(nameof(AnomalyPurchasesPerHour), AnomalyPurchasesPerHour);
        NotNegative(nameof(AnomalyReturnsPerWeek), AnomalyReturnsPerWeek);
        NotNegative(nameof(AnomalyPaymentInstrumentsPerDay), AnomalyPaymentInstrumentsPerDay);
        NotNegative(nameof(AnomalyDevicesPerDay), AnomalyDevicesPerDay);
        NotNegative(nameof(AnomalyAddressesPerDay), AnomalyAddressesPerDay);
    }

    private static void NotNegative(string name, int threshold)
    {
        if (threshold < 0)
        {
            throw new ArgumentException($"{name} must be 0 (off) or positive, not {threshold}.", name);
        }
    }

    private static void Positive(string name, double value)
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            throw new ArgumentException($"{name} must be a positive number, not {value}.", name);
        }
    }

    private static void Ascending(string name, params ReadOnlySpan<decimal> thresholds)
    {
        for (var i = 0; i < thresholds.Length; i++)
        {
            if (thresholds[i] <= 0)
            {
                throw new ArgumentException($"{name} must be positive: {string.Join(", ", thresholds.ToArray())}.", name);
            }

            if (i > 0 && thresholds[i] <= thresholds[i - 1])
            {
                throw new ArgumentException($"{name} must be strictly ascending: {string.Join(", ", thresholds.ToArray())}.", name);
            }
        }
    }
}
