using System.Globalization;

namespace ProfileGrains.Cli.Import;

/// <summary>
/// The last line of the input every row up to which is done (imported or rejected), kept beside the reject file, so
/// an interrupted import resumes after it. Written by replacing the file, never half-written.
/// </summary>
public sealed class ImportCheckpoint(string path)
{
    public long Read() =>
        File.Exists(path) && long.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var line) ? line : 0;

    public void Write(long line)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, line.ToString(CultureInfo.InvariantCulture));
        File.Move(temporary, path, overwrite: true);
    }

    public void Clear() => File.Delete(path);
}
