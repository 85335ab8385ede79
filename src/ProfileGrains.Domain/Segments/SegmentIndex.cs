namespace ProfileGrains.Domain;

/// <summary>
/// Which segments a change can affect. Each definition declares what it reads ("counters:Purchase", "orders",
/// "consent:email", "scores"...); an event re-evaluates only the segments reading what the event changed, plus those
/// reading scores and any whose inputs are not known. A time-dependent segment ("no purchase for 90 days") is also
/// re-evaluated when time has moved past an instant at which it could change (<see cref="SegmentTiming.FirstCandidateAfter"/>):
/// in between, its result is what it was. Built once per catalog version, so a change costs a few dictionary lookups
/// before any rule runs.
/// </summary>
public sealed class SegmentIndex
{
    private readonly Dictionary<string, int[]> _byInput = new(StringComparer.Ordinal);
    private readonly int[] _always;
    private readonly int[] _timeDependent;
    private readonly Dictionary<string, int> _ordinal = new(StringComparer.Ordinal);

    public SegmentIndex(IReadOnlyList<SegmentDefinition> definitions)
    {
        Definitions = definitions;
        var always = new List<int>();
        var timeDependent = new List<int>();
        var byInput = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < definitions.Count; i++)
        {
            var definition = definitions[i];
            _ordinal[definition.SegmentId] = i;
            var inputs = Inputs(definition);
            var dependsOnTime = SegmentTiming.IsTimeDependent(definition);
            HasTimeDependent |= dependsOnTime;
            if (inputs is null || inputs.Contains("scores"))
            {
                always.Add(i);
                continue;
            }

            if (dependsOnTime)
            {
                timeDependent.Add(i);
            }

            foreach (var input in inputs)
            {
                if (!byInput.TryGetValue(input, out var list))
                {
                    byInput[input] = list = [];
                }

                list.Add(i);
            }
        }

        _always = [.. always];
        _timeDependent = [.. timeDependent];
        foreach (var (input, ordinals) in byInput)
        {
            _byInput[input] = [.. ordinals];
        }
    }

    public IReadOnlyList<SegmentDefinition> Definitions { get; }

    /// <summary>Some segment's result can change with time alone (see <see cref="SegmentTiming"/>).</summary>
    public bool HasTimeDependent { get; }

    /// <summary>
    /// After evaluating at <paramref name="now"/>: the instant from which a time-dependent segment may have changed for
    /// this profile with no change to its inputs, so that the next <see cref="Matching"/> before it can leave them as they are.
    /// </summary>
    public DateTimeOffset TimeSettledUntil(CustomerProfile profile, DateTimeOffset now) =>
        HasTimeDependent ? SegmentTiming.FirstCandidateAfter(profile, now) : DateTimeOffset.MinValue;

    /// <summary>What an accepted event changes in a profile, in the inputs vocabulary.</summary>
    public static IReadOnlyList<string> ChangedBy(TrackedEvent e) => EventChanges[(int)e.Type];

    private static readonly string[][] EventChanges =
        [.. Enumerable.Range(0, Enum.GetValues<EventType>().Max(t => (int)t) + 1).Select(t => InputsChangedBy((EventType)t))];

    private static string[] InputsChangedBy(EventType type)
    {
        // Any event may link a new identifier to the customer, so segments reading identifiers are evaluated with every one.
        var inputs = new List<string> { "counters:" + type, "identifiers" };
        switch (type)
        {
            case EventType.Purchase:
                inputs.AddRange(["orders", "spend", "last_purchase", "first_purchase", "cart", "bought", "campaigns"]);
                break;
            case EventType.AddToCart or EventType.RemoveFromCart:
                inputs.Add("cart");
                break;
            case EventType.ProductView:
                inputs.Add("viewed");
                break;
            case EventType.Return:
                inputs.Add("returns");
                break;
            case EventType.Satisfaction or EventType.Review:
                inputs.Add("feedback");
                break;
            case EventType.SubscriptionStart or EventType.SubscriptionStop:
                inputs.Add("subscriptions");
                break;
            case EventType.Unsubscribe:
                inputs.AddRange(["campaigns", "consents", .. Rules.RuleCompiler.Channels.Keys.Select(c => "consent:" + c)]);
                break;
            case EventType.EmailOpen or EventType.EmailClick or EventType.MessageSent or EventType.MessageDelivered or EventType.MessageBounced:
                inputs.Add("campaigns");
                break;
        }

        if (VisitCalendar.Counts(type))
        {
            inputs.Add("visits");
        }

        return [.. inputs];
    }

    /// <summary>
    /// Membership after a change to <paramref name="changed"/> inputs: the segments reading them are evaluated, and
    /// every time-dependent one when <paramref name="timeMoved"/>; the others keep <paramref name="current"/> (segments
    /// no longer defined are dropped).
    /// </summary>
    public IReadOnlyCollection<string> Matching(CustomerProfile profile, IReadOnlyList<string> current, IReadOnlyList<string> changed, bool timeMoved, DateTimeOffset now)
    {
        const byte NotEvaluated = 0, Out = 1, In = 2;
        using var scores = Rules.ScoresPerEvaluation.Begin();
        var count = Definitions.Count;
        Span<byte> state = count <= 1024 ? stackalloc byte[count] : new byte[count];
        foreach (var i in _always)
        {
            state[i] = Definitions[i].Matches(profile, now) ? In : Out;
        }

        if (timeMoved)
        {
            foreach (var i in _timeDependent)
            {
                state[i] = Definitions[i].Matches(profile, now) ? In : Out;
            }
        }

        foreach (var input in changed)
        {
            if (_byInput.TryGetValue(input, out var affected))
            {
                foreach (var i in affected)
                {
                    if (state[i] == NotEvaluated)
                    {
                        state[i] = Definitions[i].Matches(profile, now) ? In : Out;
                    }
                }
            }
        }

        var result = new List<string>(current.Count + 2);
        foreach (var segmentId in current)
        {
            if (_ordinal.TryGetValue(segmentId, out var i) && state[i] == NotEvaluated)
            {
                result.Add(segmentId);
            }
        }

        for (var i = 0; i < count; i++)
        {
            if (state[i] == In)
            {
                result.Add(Definitions[i].SegmentId);
            }
        }

        return result;
    }

    /// <summary>What a definition reads; null when it cannot say (then it is evaluated on every change).</summary>
    public static IReadOnlySet<string>? Inputs(SegmentDefinition definition)
    {
        var inputs = new HashSet<string>(StringComparer.Ordinal);
        if (definition.RequiredConsent is not null)
        {
            inputs.Add("consents");
        }

        foreach (var condition in definition.Conditions)
        {
            switch (condition)
            {
                case EventCountCondition c:
                    inputs.Add("counters:" + c.EventType);
                    break;
                case OrderCountCondition:
                    inputs.Add("orders");
                    break;
                case SpendCondition:
                    inputs.Add("spend");
                    break;
                case ConsentCondition c:
                    inputs.Add("consent:" + c.Channel.ToString().ToLowerInvariant());
                    break;
                case DaysSinceLastPurchaseCondition:
                    inputs.Add("last_purchase");
                    break;
                case ExpressionCondition e when e.Inputs.Count > 0:
                    inputs.UnionWith(e.Inputs);
                    break;
                default:
                    return null;
            }
        }

        return inputs;
    }
}
