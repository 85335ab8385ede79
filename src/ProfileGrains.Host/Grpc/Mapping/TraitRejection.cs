namespace ProfileGrains.Host.Grpc;

/// <summary>A malformed trait left unchanged: where the problem is in the request, why, and the trait path it spoiled.</summary>
public sealed record TraitRejection(string Field, string Reason, string Path);
