using System.Globalization;
using System.Text;

namespace TorchLogistic.Inference;

/// <summary>What <see cref="MarginalEffects.Of"/> returns: one table per class probability (one for a binary model), and how they were computed.</summary>
/// <param name="Options">At, method, discrete changes.</param>
/// <param name="Alpha">1 − confidence level of the intervals.</param>
/// <param name="Tables">Binary: the effects on P(second class). Multinomial: one table per class, the reference class first.</param>
public sealed record MarginalEffectsResult(MarginalEffectsOptions Options, double Alpha, IReadOnlyList<MarginalEffectTable> Tables)
{
    /// <summary>A statsmodels-style text table (<c>get_margeff().summary()</c>).</summary>
    public string Summary()
    {
        var c = CultureInfo.InvariantCulture;
        int nameWidth = Math.Max(14, Tables.SelectMany(t => t.Names).Max(n => n.Length) + 4);
        int width = nameWidth + 6 * 11;
        var text = new StringBuilder();
        string title = "Marginal Effects";
        text.AppendLine(title.PadLeft((width + title.Length) / 2));
        text.AppendLine(new string('=', width));
        text.AppendLine($"Method: {Options.Method.ToString().ToLowerInvariant()}, at: {Options.At.ToString().ToLowerInvariant()}{(Options.DiscreteChanges || Options.OneHotGroups != null ? ", discrete changes for 0/1 and one-hot columns (marked *)" : "")}");
        string lower = (Alpha / 2).ToString("0.000", c), upper = (1 - Alpha / 2).ToString("0.000", c);
        foreach (var t in Tables)
        {
            text.AppendLine(new string('=', width));
            text.AppendLine(t.Label.PadRight(nameWidth) + string.Concat(new[] { Options.Method.ToString().ToLowerInvariant(), "std err", "z", "P>|z|", $"[{lower}", $"{upper}]" }.Select(h => h.PadLeft(11))));
            text.AppendLine(new string('-', width));
            for (int j = 0; j < t.Names.Length; j++)
            {
                text.Append((t.Names[j] + (t.Discrete[j] ? " *" : "")).PadRight(nameWidth));
                foreach (double v in new[] { t.Effects[j], t.StandardErrors[j], t.Z[j], t.PValues[j], t.ConfidenceLower[j], t.ConfidenceUpper[j] })
                    text.Append(v.ToString(Math.Abs(v) < 1e-4 && v != 0 ? "0.000E+00" : "F4", c).PadLeft(11));
                text.AppendLine();
            }
        }
        text.AppendLine(new string('=', width));
        return text.ToString();
    }
}
