using System.CommandLine;
using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using ProfileGrains.Protos.V1;

namespace ProfileGrains.Cli;

/// <summary>Commands of pgctl. Each builds one request, calls the engine once and prints the response as JSON.</summary>
internal static class CliCommands
{
    private static readonly Option<string> Address = new("--address") { Description = "Engine gRPC address (h2c)", DefaultValueFactory = _ => "http://127.0.0.1:5080", Recursive = true };

    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithIndentation().WithFormatDefaultValues(false));

    public static RootCommand Build()
    {
        var root = new RootCommand("pgctl: talk to a ProfileGrains engine") { Address };
        root.Add(IdentifyCommand());
        root.Add(TrackCommand());
        root.Add(LookupCommand());
        root.Add(ProfileCommand());
        root.Add(SegmentCommand());
        root.Add(StatsCommand());
        root.Add(ExplainCommand());
        root.Add(PersonalizeCommand());
        root.Add(CanContactCommand());
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

    private static Command TrackCommand()
    {
        var eventId = new Option<string?>("--event-id") { Description = "Idempotency key; a new one when omitted" };
        var at = new Option<DateTimeOffset?>("--at") { Description = "When it happened (ISO 8601); now when omitted" };
        var channelOption = new Option<string>("--channel") { DefaultValueFactory = _ => "web" };
        channelOption.AcceptOnlyFromAmong("web", "app", "store", "call-centre", "email");

        var orderId = new Option<string>("--order-id") { Required = true };
        var total = new Option<decimal>("--total") { Required = true };
        var currency = new Option<string>("--currency") { DefaultValueFactory = _ => "EUR" };
        var store = new Option<string?>("--store");
        var sku = new Option<string>("--sku") { Required = true };
        var category = new Option<string?>("--category");
        var path = new Option<string>("--path") { Required = true };

        var purchase = new Command("purchase", "A purchase, online or in store") { orderId, total, currency, store };
        purchase.SetAction((parse, ct) => Track(parse, ct, EventType.Purchase, e => e.Purchase = new Purchase
        {
            OrderId = parse.GetRequiredValue(orderId),
            Total = Money(parse.GetValue(total), parse.GetRequiredValue(currency)),
            StoreId = parse.GetValue(store) ?? string.Empty,
        }));
        var productView = new Command("product-view", "A product page seen") { sku, category };
        productView.SetAction((parse, ct) => Track(parse, ct, EventType.ProductView, e => e.ProductView = new ProductView
        {
            Sku = parse.GetRequiredValue(sku),
            Category = parse.GetValue(category) ?? string.Empty,
        }));
        var pageView = new Command("page-view", "A page seen") { path };
        pageView.SetAction((parse, ct) => Track(parse, ct, EventType.PageView, e => e.PageView = new PageView { Path = parse.GetRequiredValue(path) }));

        var sentChannel = new Option<string>("--via") { Description = "Contact channel the message went out on", Required = true };
        sentChannel.AcceptOnlyFromAmong(ContactChannels.Keys.ToArray());
        var campaign = new Option<string?>("--campaign");
        var messageSent = new Command("message-sent", "A message the brand sent (counted for contact frequency caps)") { sentChannel, campaign };
        messageSent.SetAction((parse, ct) => Track(parse, ct, EventType.MessageSent, e => e.MessageSent = new MessageSent
        {
            Channel = ContactChannels[parse.GetRequiredValue(sentChannel)],
            Campaign = parse.GetValue(campaign) ?? string.Empty,
        }));

        var command = new Command("track", "Send one event");
        AddIdentifierOptions(command, recursive: true);
        eventId.Recursive = true;
        at.Recursive = true;
        channelOption.Recursive = true;
        command.Add(eventId);
        command.Add(at);
        command.Add(channelOption);
        command.Add(purchase);
        command.Add(productView);
        command.Add(pageView);
        command.Add(messageSent);
        return command;

        Task<int> Track(ParseResult parse, CancellationToken ct, EventType type, Action<Event> payload) => Call(parse, async channel =>
        {
            var e = new Event
            {
                EventId = parse.GetValue(eventId) ?? Guid.NewGuid().ToString("N"),
                Type = type,
                OccurredAt = Timestamp.FromDateTimeOffset(parse.GetValue(at) ?? DateTimeOffset.UtcNow),
                Channel = parse.GetValue(channelOption) switch
                {
                    "app" => Channel.App,
                    "store" => Channel.Store,
                    "call-centre" => Channel.CallCentre,
                    "email" => Channel.Email,
                    _ => Channel.Web,
                },
                Identifiers = { Identifiers(parse) },
            };
            payload(e);
            return await new ProfileService.ProfileServiceClient(channel).TrackAsync(new TrackRequest { Event = e }, cancellationToken: ct);
        });
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
        {
            var reference = parse.GetValue(customerId) is { } id ? new CustomerRef { CustomerId = id } : new CustomerRef { Identifier = SingleIdentifier(parse) };
            return await new ProfileService.ProfileServiceClient(channel).GetProfileAsync(new GetProfileRequest { Customer = reference }, cancellationToken: ct);
        }));
        return command;
    }

    private static Command SegmentCommand()
    {
        var id = new Option<string>("--id") { Required = true };
        var name = new Option<string>("--name") { Required = true };
        var minOrders = new Option<long?>("--min-orders") { Description = "Members have at least this many orders" };
        var minSpend = new Option<decimal?>("--min-spend") { Description = "Members spent at least this much (in --currency)" };
        var currency = new Option<string>("--currency") { DefaultValueFactory = _ => "EUR" };
        var emailOptIn = new Option<bool>("--email-opt-in") { Description = "Members granted email consent" };
        var expression = new Option<string?>("--expression") { Description = "A rule in the rule language, e.g. \"count(purchase, 30d) >= 2 and consent.email == granted\"" };
        var put = new Command("put", "Create or update a segment whose conditions must all hold") { id, name, minOrders, minSpend, currency, emailOptIn, expression };
        put.SetAction((parse, ct) => Call(parse, async channel =>
        {
            var rule = new SegmentRule();
            if (parse.GetValue(minOrders) is { } orders)
            {
                rule.AllOf.Add(new Condition { OrderCount = new OrderCountCondition { Comparison = Comparison.Ge, Value = orders } });
            }

            if (parse.GetValue(minSpend) is { } spend)
            {
                rule.AllOf.Add(new Condition { Spend = new SpendCondition { CurrencyCode = parse.GetRequiredValue(currency), Comparison = Comparison.Ge, Amount = (double)spend } });
            }

            if (parse.GetValue(emailOptIn))
            {
                rule.AllOf.Add(new Condition { Consent = new ConsentCondition { Channel = ContactChannel.Email, Status = ConsentStatus.Granted } });
            }

            if (parse.GetValue(expression) is { } text)
            {
                rule.AllOf.Add(new Condition { Expression = text });
            }

            var segment = new Segment { SegmentId = parse.GetRequiredValue(id), Name = parse.GetRequiredValue(name), Rule = rule };
            return await new SegmentService.SegmentServiceClient(channel).PutSegmentAsync(new PutSegmentRequest { Segment = segment }, cancellationToken: ct);
        }));
        var list = new Command("list", "Every segment with its member count");
        list.SetAction((parse, ct) => Call(parse, async channel =>
            await new SegmentService.SegmentServiceClient(channel).ListSegmentsAsync(new ListSegmentsRequest(), cancellationToken: ct)));
        var segmentId = new Argument<string>("segment-id");
        var count = new Command("count", "How many members a segment has") { segmentId };
        count.SetAction((parse, ct) => Call(parse, async channel =>
            await new SegmentService.SegmentServiceClient(channel).CountSegmentMembersAsync(new CountSegmentMembersRequest { SegmentId = parse.GetRequiredValue(segmentId) }, cancellationToken: ct)));
        var pageSize = new Option<int>("--page-size") { DefaultValueFactory = _ => 100 };
        var pageToken = new Option<string?>("--page-token");
        var members = new Command("members", "One page of a segment's members") { segmentId, pageSize, pageToken };
        members.SetAction((parse, ct) => Call(parse, async channel =>
            await new SegmentService.SegmentServiceClient(channel).ListSegmentMembersAsync(new ListSegmentMembersRequest
            {
                SegmentId = parse.GetRequiredValue(segmentId),
                PageSize = parse.GetValue(pageSize),
                PageToken = parse.GetValue(pageToken) ?? string.Empty,
            }, cancellationToken: ct)));
        var delete = new Command("delete", "Remove a segment and its membership") { segmentId };
        delete.SetAction((parse, ct) => Call(parse, async channel =>
            await new SegmentService.SegmentServiceClient(channel).DeleteSegmentAsync(new DeleteSegmentRequest { SegmentId = parse.GetRequiredValue(segmentId) }, cancellationToken: ct)));
        var cursor = new Option<string?>("--cursor") { Description = "Resume after this change's cursor" };
        var watch = new Command("watch", "Print enter/exit changes as they happen, until Ctrl+C") { segmentId, cursor };
        watch.SetAction(async (parse, ct) =>
        {
            using var channel = GrpcChannel.ForAddress(parse.GetRequiredValue(Address));
            using var call = new SegmentService.SegmentServiceClient(channel).WatchSegment(
                new WatchSegmentRequest { SegmentId = parse.GetRequiredValue(segmentId), Cursor = parse.GetValue(cursor) ?? string.Empty }, cancellationToken: ct);
            try
            {
                while (await call.ResponseStream.MoveNext(ct))
                {
                    Console.WriteLine(Json.Format(call.ResponseStream.Current));
                }

                return 0;
            }
            catch (Exception e) when (e is OperationCanceledException || (e is Grpc.Core.RpcException r && r.StatusCode == Grpc.Core.StatusCode.Cancelled))
            {
                return 0;
            }
            catch (Grpc.Core.RpcException e)
            {
                Console.Error.WriteLine($"{e.StatusCode}: {e.Status.Detail}");
                return 1;
            }
        });
        return new Command("segment", "Manage segments") { put, list, count, members, watch, delete };
    }

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

    private static Money Money(decimal amount, string currency)
    {
        var units = decimal.Truncate(amount);
        return new Money { CurrencyCode = currency, Units = (long)units, Nanos = (int)((amount - units) * 1_000_000_000m) };
    }

    private static async Task<int> Call(ParseResult parse, Func<GrpcChannel, Task<IMessage>> call)
    {
        using var channel = GrpcChannel.ForAddress(parse.GetRequiredValue(Address));
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
