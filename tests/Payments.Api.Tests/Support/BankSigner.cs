using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Payments.Domain;

namespace Payments.Api.Tests.Support;

/// <summary>Signs as the bank does, written from the contract: hex HMAC-SHA256(secret, timestamp + "." + raw body).</summary>
public static class BankSigner
{
    public const string DevelopmentSecret = "dev-bank-secret";

    public static HttpRequestMessage SignedPost(string path, string body, DateTimeOffset? at = null, string secret = DevelopmentSecret)
    {
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var bytes = Encoding.UTF8.GetBytes(body);
        byte[] message = [.. Encoding.UTF8.GetBytes(timestamp + "."), .. bytes];
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message));
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add(BankHeaders.Timestamp, timestamp);
        request.Headers.Add(BankHeaders.Signature, signature);
        return request;
    }
}
