namespace ProfileGrains.Domain;

/// <summary>One reason a request was refused, with the request field it concerns (protobuf path, e.g. "event.identifiers[0].value").</summary>
public readonly record struct FieldViolation(string Field, string Description);
