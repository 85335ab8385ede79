using ProfileGrains.Protos.V1;

namespace ProfileGrains.TestSupport;

/// <summary>Steps many tests share: a fresh customer known by one loyalty card, and a profile read by customer id.</summary>
public static class ProfileClientExtensions
{
    public static async Task<(string CustomerId, Identifier Loyalty)> NewCustomer(this ProfileService.ProfileServiceClient client)
    {
        var loyalty = TestData.Loyalty();
        var response = await client.IdentifyAsync(new IdentifyRequest { Identifiers = { loyalty } });
        return (response.CustomerId, loyalty);
    }

    public static Task<Profile> ProfileById(this ProfileService.ProfileServiceClient client, string customerId) =>
        client.GetProfileAsync(new GetProfileRequest { Customer = TestData.ById(customerId) }).ResponseAsync;
}
