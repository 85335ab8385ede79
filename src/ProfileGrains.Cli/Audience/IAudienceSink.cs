namespace ProfileGrains.Cli.Audience;

/// <summary>Where an audience sync delivers changes; a delivery returns once the change is safely received.</summary>
public interface IAudienceSink
{
    Task DeliverAsync(AudienceChange change, CancellationToken ct);
}
