namespace ProfileGrains.Domain;

/// <summary>
/// An enum value as the API and the rules spell it ("at_risk" for <c>AtRisk</c>): built once per value, since views
/// and rule evaluations ask for it on every call.
/// </summary>
public static class SnakeCaseNames
{
    public static string Of<T>(T value)
        where T : struct, Enum => Names<T>.ByValue.TryGetValue(value, out var name) ? name : Convert(value.ToString());

    public static string Convert(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private static class Names<T>
        where T : struct, Enum
    {
        public static readonly Dictionary<T, string> ByValue = Enum.GetValues<T>().ToDictionary(v => v, v => Convert(v.ToString()));
    }
}
