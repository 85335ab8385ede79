using Google.Protobuf;

namespace ProfileGrains.Cli.Import;

/// <summary>One line of an input file: the request it reads as, or why it could not be read.</summary>
public sealed record ImportRow(long Line, IMessage? Request, string? Field = null, string? Error = null);
