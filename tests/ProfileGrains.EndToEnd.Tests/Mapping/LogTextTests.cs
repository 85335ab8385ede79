using ProfileGrains.Host.Grpc;

namespace ProfileGrains.EndToEnd.Tests.Mapping;

public sealed class LogTextTests
{
    [Theory]
    [InlineData("traits.custom_attributes.key", "traits.custom_attributes.key")]
    [InlineData("Zoë 👩‍👧 李小龍", "Zoë 👩\\u200D👧 李小龍")]
    [InlineData("a\nINFO forged", "a\\u000AINFO forged")]
    [InlineData("\u001B[31mred\u0000", "\\u001B[31mred\\u0000")]
    [InlineData("evil\u202Etxt.exe", "evil\\u202Etxt.exe")]
    [InlineData("line\u2028break", "line\\u2028break")]
    [InlineData("C:\\u000A", "C:\\u005Cu000A")]
    public void Caller_text_cannot_break_forge_or_hide_a_log_line(string text, string logged) =>
        Assert.Equal(logged, LogText.Escape(text));

    [Fact]
    public void Long_text_is_cut_and_marked()
    {
        var escaped = LogText.Escape(new string('x', 10_000));

        Assert.Equal(LogText.MaxLength + 1, escaped.Length);
        Assert.EndsWith("…", escaped, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lone_surrogate_becomes_the_replacement_character_not_a_broken_utf16_string()
    {
        Assert.Equal("a\uFFFDb", LogText.Escape("a\uD800b"));
    }
}
