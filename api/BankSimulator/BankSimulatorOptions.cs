namespace Payments.Api.BankSimulator;

/// <summary><c>Payments:BankSimulator</c>: whether this API plays the bank at <c>/simulator/bank</c>.</summary>
internal sealed class BankSimulatorOptions
{
    public const string Section = "Payments:BankSimulator";

    /// <summary><c>Payments:BankSimulator:Enabled</c>; when not configured, on in Development and off elsewhere.</summary>
    public bool? Enabled { get; set; }
}
