namespace ProfileGrains.Domain;

[GenerateSerializer, Immutable, Alias("pg.Company")]
public sealed record Company(
    [property: Id(0)] string? Name,
    [property: Id(1)] int? Employees,
    [property: Id(2)] Money? AnnualRevenue,
    [property: Id(3)] string? LegalForm,
    [property: Id(4)] string? Industry);
