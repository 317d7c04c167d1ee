using FsCheck;
using FsCheck.Fluent;
using Payments.Domain;

namespace Payments.Api.Fuzzing.Tests.Support;

/// <summary>One field of one JSON endpoint given a value the contract refuses.</summary>
public sealed record FieldCase(Endpoint Endpoint, Field Field, WrongValue Value)
{
    public override string ToString() => $"{Endpoint} {Field.Name} = {Value}";
}

/// <summary>A JSON endpoint given a body that is not the JSON object it reads.</summary>
public sealed record BodyCase(Endpoint Endpoint, MalformedBody Body)
{
    public override string ToString() => $"{Endpoint} {Body}";
}

/// <summary>A JSON endpoint sent a valid body under another content type (or none).</summary>
public sealed record ContentTypeCase(Endpoint Endpoint, string? ContentType, bool WithSignature)
{
    public override string ToString() => $"{Endpoint} Content-Type: {ContentType ?? "(none)"}{(WithSignature ? string.Empty : ", unsigned")}";
}

/// <summary>A protected endpoint called with an Authorization header that is not a credential allowed there.</summary>
public sealed record CredentialCase(Endpoint Endpoint, string? Authorization)
{
    public override string ToString() => $"{Endpoint} Authorization: {Authorization ?? "(none)"}";
}

/// <summary>The bank's headers on a valid callback, spoiled one way.</summary>
public sealed record SignatureCase(string Label, Func<string, string, (string? Timestamp, string? Signature)> Headers)
{
    public override string ToString() => Label;
}

/// <summary>An identifier in a path that names nothing on the platform, or in a query one that is not an identifier at all.</summary>
public sealed record PathIdCase(PathEndpoint Endpoint, string Id)
{
    public override string ToString() => $"{Endpoint.Template} with {System.Text.Json.JsonSerializer.Serialize(Id)}";
}

/// <summary>The arbitraries of every fuzzing property.</summary>
public static class FuzzCases
{
    public static Arbitrary<FieldCase> FieldCases() =>
        (from endpoint in Gen.Elements<Endpoint>(Endpoints.WithJsonBody)
         from field in Gen.Elements<Field>(endpoint.Fields!)
         from value in WrongValues.For(field.Kind, field.Required)
         select new FieldCase(endpoint, field, value)).ToArbitrary();

    public static Arbitrary<BodyCase> BodyCases() =>
        (from endpoint in Gen.Elements<Endpoint>(Endpoints.WithJsonBody)
         from body in MalformedBody.Any
         select new BodyCase(endpoint, body)).ToArbitrary();

    public static Arbitrary<ContentTypeCase> ContentTypeCases() =>
        (from endpoint in Gen.Elements<Endpoint>(Endpoints.WithJsonBody)
         from contentType in Gen.Elements<string?>(
             null, "text/plain", "text/plain; charset=utf-8", "application/xml", "text/json", "application/x-www-form-urlencoded",
             "multipart/form-data; boundary=x", "application/octet-stream", "application", "application/jsonx", "*/*")
         from withSignature in Gen.Elements(true, false)
         select new ContentTypeCase(endpoint, contentType, withSignature)).ToArbitrary();

    public static Arbitrary<CredentialCase> CredentialCases() =>
        (from endpoint in Gen.Elements<Endpoint>(Endpoints.Protected)
         from authorization in Gen.OneOf(
             Gen.Elements<string?>(
                 null, "Bearer", "Bearer ", "Basic ZGV2OmRldg==", "Token dev-operator-token", "Bearer dev-operator-token-", "Bearer DEV-OPERATOR-TOKEN",
                 "Bearer dev-operator-toke", "Bearer  ", "dev-operator-token", "Bearer null", "Bearer undefined", "Bearer ' OR '1'='1"),
             ArbMap.Default.GeneratorFor<NonEmptyString>().Select(random => new string(random.Get.Where(c => c is >= '!' and <= '~').ToArray()))
                 .Where(token => token.Length > 0).Select(string? (token) => $"Bearer {token}"))
         select new CredentialCase(endpoint, authorization)).ToArbitrary();

    public static Arbitrary<PrintableName> PrintableNames() => PrintableName.Names();

    public static Arbitrary<SignatureCase> SignatureCases() => Gen.Elements<SignatureCase>(BankHeaderSpoilers.All).ToArbitrary();

    public static Arbitrary<PathIdCase> PathIdCases() =>
        (from endpoint in Gen.Elements<PathEndpoint>(Endpoints.WithPathId)
         from id in UnknownIds
         where !endpoint.Template.Contains('?', StringComparison.Ordinal) || !Identifiers.IsValidClientId(id)
         select new PathIdCase(endpoint, id)).ToArbitrary();

    /// <summary>Ids that cannot exist: unknown, over-long, odd unicode, controls (NUL too), path tricks.</summary>
    private static Gen<string> UnknownIds => Gen.OneOf(
        Gen.Elements(
            "pay_unknown", "0", "-", "_", new string('a', 64), new string('a', 65), new string('9', 5000), "..", "../../api/payments",
            "%00", "%2e%2e", "a b", "李雷", "😀", "\u202eabc", "' OR '1'='1", "a;DROP TABLE x", "\\", "null", "{id}"),
        from prefix in Gen.Elements("pay_", "m-", "u_", string.Empty)
        from code in Gen.OneOf(Gen.Choose(0, 0x1f), Gen.Choose(0x7f, 0x9f), Gen.Choose(0x100, 0xd7ff))
        select prefix + (char)code);
}
