namespace TorchLogistic.Checking;

/// <summary>A derivative did not match its reference; the message is the full report.</summary>
public sealed class GradientCheckException : Exception
{
    /// <summary>Creates the exception from a failed result.</summary>
    /// <param name="result">The failed check.</param>
    public GradientCheckException(GradientCheckResult result) : base(result.ToString()) => this.Result = result;

    /// <summary>The failed check.</summary>
    public GradientCheckResult Result { get; }
}
