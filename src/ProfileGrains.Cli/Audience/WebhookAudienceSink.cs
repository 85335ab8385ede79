using System.Net.Http.Json;
using System.Text.Json;

namespace ProfileGrains.Cli.Audience;

/// <summary>POSTs each change as JSON; anything but a 2xx (or no answer) is retried with growing pauses, up to a minute apart.</summary>
public sealed class WebhookAudienceSink(HttpClient http, Uri url) : IAudienceSink
{
    public async Task DeliverAsync(AudienceChange change, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var response = await http.PostAsJsonAsync(url, change, JsonSerializerOptions.Web, ct);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // The receiver is down: wait and try the same change again.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(60_000, 250 * Math.Pow(2, Math.Min(attempt, 8)))), ct);
        }
    }
}
