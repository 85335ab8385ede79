using System.CommandLine;
using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using ProfileGrains.Protos;
using ProfileGrains.Protos.V1;

namespace ProfileGrains.Cli;

/// <summary>Commands of pgctl. Each builds one request, calls the engine once and prints the response as JSON.</summary>
internal static partial class CliCommands
{
    private static readonly Option<string> Address = new("--address") { Description = "Engine gRPC address: http:// for h2c, https:// for TLS", DefaultValueFactory = _ => "http://127.0.0.1:5080", Recursive = true };

    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithIndentation().WithFormatDefaultValues(false));

    public static RootCommand Build()
    {
        var root = new RootCommand("pgctl: talk to a ProfileGrains engine") { Address };
        root.Add(IdentifyCommand());
        root.Add(TrackCommand());
        root.Add(LookupCommand());
        root.Add(ProfileCommand());
        root.Add(ExportCommand());
        root.Add(TimelineCommand());
        root.Add(TokenCommand());
        root.Add(EraseCommand());
        root.Add(SegmentCommand());
        root.Add(StatsCommand());
        root.Add(ExplainCommand());
        root.Add(PersonalizeCommand());
        root.Add(CanContactCommand());
        root.Add(CampaignCommand());
        root.Add(ImportCommand());
        return root;
    }

    private static Command IdentifyCommand()
    {
        var givenName = new Option<string?>("--given-name");
        var familyName = new Option<string?>("--family-name");
        var tier = new Option<string?>("--tier") { Description = "Loyalty tier, e.g. gold" };
        var emailConsent = new Option<string?>("--email-consent") { Description = "granted or denied" };
        emailConsent.AcceptOnlyFromAmong("granted", "denied");
        var command = new Command("identify", "Resolve identifiers to one customer (created when unknown) and apply traits");
        AddIdentifierOptions(command);
        command.Add(givenName);
        command.Add(familyName);
        command.Add(tier);
        command.Add(emailConsent);
        command.SetAction((parse, ct) => Call(parse, async channel =>
        {
            var request = new IdentifyRequest { Identifiers = { Identifiers(parse) }, Traits = new ProfileTraits() };
            if (parse.GetValue(givenName) is not null || parse.GetValue(familyName) is not null)
            {
                request.Traits.Name = new PersonName { GivenName = parse.GetValue(givenName) ?? string.Empty, FamilyName = parse.GetValue(familyName) ?? string.Empty };
            }

            request.Traits.LoyaltyTier = parse.GetValue(tier) ?? string.Empty;
            if (parse.GetValue(emailConsent) is { } consent)
            {
                request.Traits.Consents.Add(new Consent
                {
                    Channel = ContactChannel.Email,
                    Status = consent == "granted" ? ConsentStatus.Granted : ConsentStatus.Denied,
                    DecidedAt = Timestamp.FromDateTime(DateTime.UtcNow),
                    Source = "pgctl",
                });
            }

            return await new ProfileService.ProfileServiceClient(channel).IdentifyAsync(request, cancellationToken: ct);
        }));
        return command;
    }

    private static Command LookupCommand()
    {
        var command = new Command("lookup", "Checkout summary by phone, email, loyalty id or any identifier");
        AddIdentifierOptions(command);
        command.SetAction((parse, ct) => Call(parse, async channel =>
            await new ProfileService.ProfileServiceClient(channel).LookupAsync(new LookupRequest { Identifier = SingleIdentifier(parse) }, cancellationToken: ct)));
        return command;
    }

    private static Command ProfileCommand()
    {
        var customerId = new Option<string?>("--customer-id");
        var command = new Command("profile", "The full unified profile") { customerId };
        AddIdentifierOptions(command);
        command.SetAction((parse, ct) => Call(parse, async channel =>
            await new ProfileService.ProfileServiceClient(channel).GetProfileAsync(new GetProfileRequest { Customer = Reference(parse, customerId) }, cancellationToken: ct)));
        return command;
    }

    private static Command ExportCommand()
    {
        var customerId = new Option<string?>("--customer-id");
        var command = new Command("export", "Everything held about one person, as a JSON document (scope privacy)") { customerId };
        AddIdentifierOptions(command);
        command.SetAction((parse, ct) => Call(parse, async channel =>
            await new ProfileService.ProfileServiceClient(channel).ExportCustomerAsync(new ExportCustomerRequest { Customer = Reference(parse, customerId) }, cancellationToken: ct)));
        return command;
    }

    private static Command TimelineCommand()
    {
        var customerId = new Option<string?>("--customer-id");
        var pageSize = new Option<int>("--page-size") { Description = "Entries per page, 1 to 500 (default 50)" };
        var pageToken = new Option<string?>("--page-token") { Description = "next_page_token of the previous page" };
        var command = new Command("timeline", "The customer's exchanges with what they carried, newest first (scope read)") { customerId, pageSize, pageToken };
        AddIdentifierOptions(command);
        command.SetAction((parse, ct) => Call(parse, async channel =>
            await new ProfileService.ProfileServiceClient(channel).GetTimelineAsync(
                new GetTimelineRequest { Customer = Reference(parse, customerId), PageSize = parse.GetValue(pageSize), PageToken = parse.GetValue(pageToken) ?? string.Empty },
                cancellationToken: ct)));
        return command;
    }

    private static Command TokenCommand()
    {
        var customerId = new Option<string?>("--customer-id");
        var minutes = new Option<int>("--valid-minutes") { Description = "How long the token is valid (default 15)", DefaultValueFactory = _ => 15 };
        var command = new Command("token", "A short-lived token with which a customer reaches their own record through SelfService (scope self-service)") { customerId, minutes };
        AddIdentifierOptions(command);
        command.SetAction((parse, ct) => Call(parse, async channel =>
            await new ProfileService.ProfileServiceClient(channel).IssueCustomerTokenAsync(
                new IssueCustomerTokenRequest { Customer = Reference(parse, customerId), ValidFor = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromMinutes(parse.GetValue(minutes))) },
                cancellationToken: ct)));
        return command;
    }

    private static Command EraseCommand()
    {
        var customerId = new Option<string?>("--customer-id");
        var requestId = new Option<string?>("--request-id") { Description = "The data-subject request's id: a retry with it gets the first answer" };
        var command = new Command("erase", "Erase one person from every store (scope privacy)") { customerId, requestId };
        AddIdentifierOptions(command);
        command.SetAction((parse, ct) => Call(parse, async channel =>
            await new ProfileService.ProfileServiceClient(channel).EraseCustomerAsync(
                new EraseCustomerRequest { Customer = Reference(parse, customerId), RequestId = parse.GetValue(requestId) ?? string.Empty },
                cancellationToken: ct)));
        return command;
    }

    private static CustomerRef Reference(ParseResult parse, Option<string?> customerId) =>
        parse.GetValue(customerId) is { } id ? new CustomerRef { CustomerId = id } : new CustomerRef { Identifier = SingleIdentifier(parse) };

    private static readonly (string Name, IdentifierType Type, string Description)[] IdentifierOptions =
    [
        ("--email", IdentifierType.Email, "Email address"),
        ("--phone", IdentifierType.Phone, "Phone number, any common format"),
        ("--loyalty", IdentifierType.LoyaltyId, "Loyalty card id"),
        ("--anon", IdentifierType.AnonymousId, "Anonymous cookie or device id"),
        ("--crm", IdentifierType.CrmId, "External CRM id"),
    ];

    private static Command ExplainCommand()
    {
        var command = new Command("explain", "Why an identifier belongs to its customer: owners over time and merges");
        AddIdentifierOptions(command);
        command.SetAction((parse, ct) => Call(parse, async channel =>
            await new ProfileService.ProfileServiceClient(channel).ExplainIdentityAsync(new ExplainIdentityRequest { Identifier = SingleIdentifier(parse) }, cancellationToken: ct)));
        return command;
    }

    private static readonly Dictionary<string, ContactChannel> ContactChannels = new(StringComparer.Ordinal)
    {
        ["email"] = ContactChannel.Email,
        ["sms"] = ContactChannel.Sms,
        ["phone"] = ContactChannel.Phone,
        ["post"] = ContactChannel.Post,
        ["push"] = ContactChannel.Push,
    };

    private static Command PersonalizeCommand()
    {
        var command = new Command("personalize", "What a website needs for this visitor: segments, scores, affinities, consents");
        AddIdentifierOptions(command);
        command.SetAction((parse, ct) => Call(parse, async channel =>
            await new ProfileService.ProfileServiceClient(channel).GetPersonalizationAsync(new GetPersonalizationRequest { Identifier = SingleIdentifier(parse) }, cancellationToken: ct)));
        return command;
    }

    private static Command CanContactCommand()
    {
        var via = new Argument<string>("channel") { Description = "email, sms, phone, post or push" };
        via.AcceptOnlyFromAmong(ContactChannels.Keys.ToArray());
        var command = new Command("can-contact", "May this customer be contacted on this channel now (consent, then frequency cap)?") { via };
        AddIdentifierOptions(command);
        command.SetAction((parse, ct) => Call(parse, async channel =>
            await new ProfileService.ProfileServiceClient(channel).CanContactAsync(new CanContactRequest
            {
                Identifier = SingleIdentifier(parse),
                Channel = ContactChannels[parse.GetRequiredValue(via)],
            }, cancellationToken: ct)));
        return command;
    }

    private static Command CampaignCommand()
    {
        var campaign = new Argument<string?>("campaign") { Description = "The campaign id; every campaign when omitted", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("campaign", "A campaign's indicators: sent, delivered, opened, clicked, unsubscribed, converted, rates, per segment (scope read)") { campaign };
        command.SetAction((parse, ct) => Call(parse, async channel =>
        {
            var client = new CampaignService.CampaignServiceClient(channel);
            return parse.GetValue(campaign) is { } id
                ? await client.GetCampaignAsync(new GetCampaignRequest { Campaign = id }, cancellationToken: ct)
                : (Google.Protobuf.IMessage)await client.ListCampaignsAsync(new ListCampaignsRequest(), cancellationToken: ct);
        }));
        return command;
    }

    private static Command StatsCommand()
    {
        var collect = new Option<bool>("--gc") { Description = "Collect garbage first, so the heap counts live objects only" };
        var command = new Command("stats", "Memory and grain activations of the silo that answers") { collect };
        command.SetAction((parse, ct) => Call(parse, async channel =>
            await new DiagnosticsService.DiagnosticsServiceClient(channel).GetServerStatsAsync(new ServerStatsRequest { CollectGarbage = parse.GetValue(collect) }, cancellationToken: ct)));
        return command;
    }

    private static void AddIdentifierOptions(Command command, bool recursive = false)
    {
        foreach (var (name, _, description) in IdentifierOptions)
        {
            command.Add(new Option<string?>(name) { Description = description, Recursive = recursive });
        }
    }

    private static IEnumerable<Identifier> Identifiers(ParseResult parse)
    {
        foreach (var (name, type, _) in IdentifierOptions)
        {
            if (parse.GetValue<string?>(name) is { } value)
            {
                yield return new Identifier { Type = type, Value = value };
            }
        }
    }

    private static Identifier? SingleIdentifier(ParseResult parse) => Identifiers(parse).FirstOrDefault();

    internal static Money Money(decimal amount, string currency)
    {
        var units = decimal.Truncate(amount);
        return new Money { CurrencyCode = currency, Units = (long)units, Nanos = (int)((amount - units) * 1_000_000_000m) };
    }

    /// <summary>
    /// A channel to the engine; every call carries the key in PROFILEGRAINS_API_KEY when it is set (an environment
    /// variable, so the key never shows in the process list).
    /// </summary>
    internal static GrpcChannel OpenChannel(ParseResult parse) =>
        EngineCredentials.FromEnvironment().OpenChannel(new Uri(parse.GetRequiredValue(Address)));

    private static async Task<int> Call(ParseResult parse, Func<GrpcChannel, Task<IMessage>> call)
    {
        using var channel = OpenChannel(parse);
        try
        {
            Console.WriteLine(Json.Format(await call(channel)));
            return 0;
        }
        catch (RpcException e)
        {
            Console.Error.WriteLine($"{e.StatusCode}: {e.Status.Detail}");
            foreach (var violation in e.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations ?? [])
            {
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {violation.Field}: {violation.Description}"));
            }

            return 1;
        }
    }
}
