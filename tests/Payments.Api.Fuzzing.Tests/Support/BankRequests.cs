using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Payments.Api.Tests.Support;

namespace Payments.Api.Fuzzing.Tests.Support;

/// <summary>Bank callbacks over raw bytes (which may not even be UTF-8), signed right or with the headers given.</summary>
public static class BankRequests
{
    public const string CallbackPath = "/api/bank/callbacks";

    public static HttpRequestMessage Callback(byte[] body)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return WithHeaders(body, timestamp, Sign(timestamp, body));
    }

    /// <summary>The contract's signature over the header's text as sent: hex HMAC-SHA256(secret, timestamp + "." + body).</summary>
    public static string Sign(string timestamp, byte[] body, string secret = BankSigner.DevelopmentSecret) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), (byte[])[.. Encoding.UTF8.GetBytes(timestamp + "."), .. body]));

    public static HttpRequestMessage WithHeaders(byte[] body, string? timestamp, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(CallbackPath, UriKind.Relative)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (timestamp is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Bank-Timestamp", timestamp);
        }
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Bank-Signature", signature);
        }
        return request;
    }
}
