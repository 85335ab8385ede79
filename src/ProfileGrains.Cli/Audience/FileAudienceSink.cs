using System.Text.Json;

namespace ProfileGrains.Cli.Audience;

/// <summary>Appends each change as a JSON line, written whole (never cut by a stop) before the cursor moves past it.</summary>
public sealed class FileAudienceSink(string path) : IAudienceSink
{
    public async Task DeliverAsync(AudienceChange change, CancellationToken ct) =>
        await File.AppendAllTextAsync(path, JsonSerializer.Serialize(change, JsonSerializerOptions.Web) + "\n", CancellationToken.None);
}
