namespace ProfileGrains.Grains;

public static class StorageNames
{
    public const string Profiles = "profiles";
    public const string Identities = "identities";
    public const string Segments = "segments";
}
