namespace ProfileGrains.Domain.Rules;

/// <summary>
/// A customer's scores computed once per evaluation of its segments instead of once per rule that reads them: with a
/// hundred RFM or churn-risk rules an event would otherwise score the customer a hundred times. Kept only inside a
/// <see cref="Begin"/> scope, during which the profile cannot change: evaluating segments is synchronous, so the scope
/// is the thread's.
/// </summary>
internal static class ScoresPerEvaluation
{
    [ThreadStatic]
    private static Memo? t_memo;

    public static Scope Begin()
    {
        if (t_memo is not null)
        {
            return default;
        }

        t_memo = new Memo();
        return new Scope(owns: true);
    }

    public static CustomerScores Of(CustomerProfile profile, DateTimeOffset now, ScoringOptions options)
    {
        if (t_memo is not { } memo)
        {
            return CustomerScoring.Compute(profile, now, options);
        }

        if (!ReferenceEquals(memo.Profile, profile) || memo.Ticks != now.UtcTicks || !ReferenceEquals(memo.Options, options))
        {
            memo.Scores = CustomerScoring.Compute(profile, now, options);
            (memo.Profile, memo.Ticks, memo.Options) = (profile, now.UtcTicks, options);
        }

        return memo.Scores!;
    }

    public readonly struct Scope(bool owns) : IDisposable
    {
        public void Dispose()
        {
            if (owns)
            {
                t_memo = null;
            }
        }
    }

    private sealed class Memo
    {
        public CustomerProfile? Profile;
        public long Ticks;
        public ScoringOptions? Options;
        public CustomerScores? Scores;
    }
}
