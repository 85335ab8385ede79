namespace ProfileGrains.Domain.Tests;

public sealed class FrenchGeographyTests
{
    [Theory]
    [InlineData("75011", "75", "Île-de-France")]
    [InlineData("01000", "01", "Auvergne-Rhône-Alpes")]
    [InlineData("20167", "2A", "Corse")]
    [InlineData("20200", "2B", "Corse")]
    [InlineData("97400", "974", "La Réunion")]
    [InlineData("97600", "976", "Mayotte")]
    [InlineData("59000", "59", "Hauts-de-France")]
    [InlineData("13001", "13", "Provence-Alpes-Côte d'Azur")]
    public void A_postal_code_names_its_departement_and_region(string postalCode, string department, string region)
    {
        Assert.Equal(department, FrenchGeography.Department(postalCode));
        Assert.Equal(region, FrenchGeography.Region(department));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("7501")]
    [InlineData("750011")]
    [InlineData("75O11")]
    [InlineData("98000")] // Monaco
    [InlineData("97500")] // Saint-Pierre-et-Miquelon: a collectivity, not a département
    public void Anything_else_names_none(string? postalCode) => Assert.Null(FrenchGeography.Department(postalCode));

    [Fact]
    public void Every_departement_of_2016_has_its_region()
    {
        var departments = Enumerable.Range(1, 95).Where(d => d != 20).Select(d => d.ToString("00", System.Globalization.CultureInfo.InvariantCulture))
            .Concat(["2A", "2B", "971", "972", "973", "974", "976"]).ToList();

        Assert.Equal(101, departments.Count);
        Assert.All(departments, d => Assert.NotNull(FrenchGeography.Region(d)));
        Assert.Equal(18, departments.Select(FrenchGeography.Region).Distinct().Count());
    }
}
