using System.Globalization;
using System.Text.Json;
using CsvHelper;
using Grpc.Core;
using ProfileGrains.Protos.V1;

namespace ProfileGrains.Cli.Audience;

/// <summary>
/// A segment's members, with the fields asked for, to CSV or JSON Lines: the list an emailing tool or a CRM takes in.
/// Members are listed page by page and their profiles read with bounded concurrency, written in the list's order; with
/// a consent channel, only members whose marketing consent on it is granted are written.
/// </summary>
public sealed class AudienceExport(ProfileService.ProfileServiceClient profiles, SegmentService.SegmentServiceClient segments)
{
    public async Task<(long Members, long Written)> RunAsync(
        string segmentId, IReadOnlyList<string> fields, TextWriter output, bool csv, ContactChannel? consent = null, int concurrency = 16, CancellationToken ct = default)
    {
        var readers = fields.Select(f => AudienceFields.All.TryGetValue(f, out var read) ? read : throw new ArgumentException($"unknown field '{f}' (known: {string.Join(", ", AudienceFields.All.Keys)})", nameof(fields))).ToArray();
        using var table = csv ? new CsvWriter(output, CultureInfo.InvariantCulture, leaveOpen: true) : null;
        if (table is not null)
        {
            foreach (var field in fields)
            {
                table.WriteField(field);
            }

            table.NextRecord();
        }

        long members = 0, written = 0;
        await foreach (var page in SegmentPages.Read(segments, segmentId, ct))
        {
            var read = new Profile?[page.CustomerIds.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, read.Length), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct }, async (i, c) =>
            {
                try
                {
                    read[i] = await profiles.GetProfileAsync(new GetProfileRequest { Customer = new CustomerRef { CustomerId = page.CustomerIds[i] } }, cancellationToken: c);
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
                {
                    // Erased or merged away since the page was listed: no longer a member.
                }
            });
            foreach (var profile in read)
            {
                if (profile is null)
                {
                    continue;
                }

                members++;
                if (consent is { } channel && AudienceFields.Marketing(profile, channel) != ConsentStatus.Granted)
                {
                    continue;
                }

                written++;
                if (table is not null)
                {
                    foreach (var reader in readers)
                    {
                        table.WriteField(reader(profile));
                    }

                    table.NextRecord();
                }
                else
                {
                    await output.WriteLineAsync(JsonSerializer.Serialize(fields.Select((f, i) => (f, readers[i](profile))).ToDictionary(x => x.f, x => x.Item2)));
                }
            }

        }

        return (members, written);
    }
}
