namespace ProfileGrains.Domain;

/// <summary>Evaluates every known segment against one profile.</summary>
public static class SegmentEvaluator
{
    public static IReadOnlyCollection<string> MatchingSegments(IEnumerable<SegmentDefinition> definitions, CustomerProfile profile, DateTimeOffset now)
    {
        using var scores = Rules.ScoresPerEvaluation.Begin();
        var matches = new List<string>();
        foreach (var definition in definitions)
        {
            if (definition.Matches(profile, now))
            {
                matches.Add(definition.SegmentId);
            }
        }

        return matches;
    }
}
