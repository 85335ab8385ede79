namespace ProfileGrains.Grains;

public static class StorageNames
{
    public const string Profiles = "profiles";
    public const string Segments = "segments";
}
