using System.Globalization;
using FsCheck.Xunit;

namespace Payments.Api.Fuzzing.Tests.Support;

/// <summary>
/// A fuzzing property over <see cref="FuzzCases"/>: a bounded number of cases by default, so the whole suite stays within
/// CI's minute; <c>PAYMENTS_FUZZ_CASES=2000</c> runs that many per property.
/// </summary>
public sealed class FuzzAttribute : PropertyAttribute
{
    public const string CasesVariable = "PAYMENTS_FUZZ_CASES";
    private const int DefaultCases = 30;

    public FuzzAttribute()
    {
        MaxTest = int.TryParse(Environment.GetEnvironmentVariable(CasesVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var cases) && cases > 0
            ? cases
            : DefaultCases;
        Arbitrary = [typeof(FuzzCases)];
        QuietOnSuccess = true;
    }
}
