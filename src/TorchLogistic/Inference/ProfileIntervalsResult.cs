using System.Globalization;
using System.Text;

namespace TorchLogistic.Inference;

/// <summary>Profile-likelihood confidence intervals of a binary logistic regression's coefficients (<see cref="ProfileIntervals"/>).</summary>
/// <param name="Names"><c>const</c> (when the model has an intercept) then the feature names.</param>
/// <param name="Estimates">Maximum-likelihood estimates β̂.</param>
/// <param name="Lower">Lower bounds; −∞ where the profile never rises to the cut-off (the bound does not exist).</param>
/// <param name="Upper">Upper bounds; +∞ where the profile never rises to the cut-off.</param>
/// <param name="Alpha">1 − the confidence level.</param>
public sealed record ProfileIntervalsResult(string[] Names, double[] Estimates, double[] Lower, double[] Upper, double Alpha)
{
    /// <summary>The intervals as a plain-text table.</summary>
    public string Summary()
    {
        var text = new StringBuilder();
        string level = (100 * (1 - Alpha)).ToString("G4", CultureInfo.InvariantCulture);
        int width = Math.Max(8, Names.Max(n => n.Length));
        text.AppendLine(CultureInfo.InvariantCulture, $"Profile-likelihood {level}% intervals (2(ℓ̂ − ℓ_p(β_j)) = χ²₁ quantile; R's confint on a glm)");
        text.AppendLine(CultureInfo.InvariantCulture, $"{"".PadRight(width)} {"coef",12} {"lower",12} {"upper",12}");
        for (int j = 0; j < Names.Length; j++)
            text.AppendLine(CultureInfo.InvariantCulture, $"{Names[j].PadRight(width)} {Estimates[j],12:F6} {Lower[j],12:F6} {Upper[j],12:F6}");
        return text.ToString();
    }
}
