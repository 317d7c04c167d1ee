using System.Globalization;
using System.Text;
using Payments.Domain;

namespace Payments.Activities.Bank;

/// <summary>
/// Signs the platform's requests to the bank like the bank signs its callbacks: HMAC-SHA256 with the bank secret over
/// <c>timestamp + "." + body</c>, or <c>timestamp + "." + path</c> (as sent, percent-encoded, no query) for a request without one.
/// </summary>
public static class BankRequests
{
    public static void Sign(HttpRequestMessage request, string secret, DateTimeOffset now, ReadOnlySpan<byte> body)
    {
        var timestamp = now.ToUnixTimeSeconds();
        request.Headers.Add(BankHeaders.Timestamp, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(BankHeaders.Signature, Signatures.Sign(secret, timestamp, body));
    }

    public static void SignPath(HttpRequestMessage request, string secret, DateTimeOffset now) =>
        Sign(request, secret, now, Encoding.UTF8.GetBytes(request.RequestUri!.AbsolutePath));
}
