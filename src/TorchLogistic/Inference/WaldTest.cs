using System.Globalization;

namespace TorchLogistic.Inference;

/// <summary>
/// Wald tests of linear restrictions on the coefficients of an <see cref="InferenceResult"/>, written as text:
/// <c>"a = 0, b = c"</c>, <c>"2*a - b = 1"</c>. Each side is a sum of terms <c>[number *] name</c> or numbers; names are
/// <c>const</c> and the feature names. In a multinomial model a name means that coefficient in every equation (one
/// restriction per equation), and <c>class:name</c> means it in the equation of that class against the reference.
/// </summary>
public static class WaldTest
{
    /// <summary>Tests <paramref name="restrictions"/> with the covariance of <paramref name="inference"/>.</summary>
    /// <param name="inference">The fit.</param>
    /// <param name="restrictions">Comma-separated linear equations in the coefficient names.</param>
    /// <returns>The statistic, its degrees of freedom and p-value.</returns>
    public static WaldTestResult Of(InferenceResult inference, string restrictions)
    {
        var (r, q) = Parse(inference, restrictions);
        int rows = q.Length, n = inference.Covariance.GetLength(0);
        var beta = inference.Equations.SelectMany(e => e.Coefficients).ToArray();
        var residual = new double[rows];
        var middle = new double[rows * rows];
        for (int a = 0; a < rows; a++)
        {
            for (int i = 0; i < n; i++) residual[a] += r[a, i] * beta[i];
            residual[a] -= q[a];
            for (int b = 0; b < rows; b++)
            {
                double s = 0;
                for (int i = 0; i < n; i++)
                {
                    if (r[a, i] == 0) continue;
                    for (int j = 0; j < n; j++) s += r[a, i] * inference.Covariance[i, j] * r[b, j];
                }
                middle[a * rows + b] = s;
            }
        }
        var inverse = SymmetricInverse.Of(middle, rows);
        if (inverse.IsSingular)
            throw new ArgumentException($"The restrictions '{restrictions}' are linearly dependent (one follows from the others); drop the redundant ones.");
        double w = 0;
        for (int a = 0; a < rows; a++)
        {
            for (int b = 0; b < rows; b++) w += residual[a] * inverse.Inverse[a * rows + b] * residual[b];
        }
        return new WaldTestResult(restrictions, w, rows, SpecialFunctions.ChiSquaredSurvival(w, rows), inference.CovarianceKind);
    }

    /// <summary>R (one row per restriction, over the coefficients equation by equation) and q.</summary>
    internal static (double[,] R, double[] Q) Parse(InferenceResult inference, string restrictions)
    {
        var names = inference.Equations[0].Names;
        int p = names.Length, equations = inference.Equations.Count;
        var rowsR = new List<double[]>();
        var rowsQ = new List<double>();
        foreach (string raw in restrictions.Split(','))
        {
            string text = raw.Trim();
            string[] sides = text.Split('=');
            if (sides.Length != 2 || sides.Any(s => s.Trim().Length == 0))
                throw new ArgumentException($"Wald restriction '{text}' is not an equation 'left = right' (e.g. 'x1 = 0' or 'x1 = x2').");
            // Terms per equation (null key: every equation), and the constant, moved to the left side.
            var terms = new List<(int? Equation, int Coefficient, double Factor)>();
            double constant = 0;
            for (int side = 0; side < 2; side++)
            {
                foreach (var (sign, term) in Terms(sides[side], text))
                {
                    double factor = sign * (side == 0 ? 1 : -1);
                    string name = term;
                    int star = term.IndexOf('*', StringComparison.Ordinal);
                    if (star >= 0)
                    {
                        factor *= Number(term[..star].Trim(), text);
                        name = term[(star + 1)..].Trim();
                    }
                    if (double.TryParse(name, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                    {
                        constant += factor * value;
                        continue;
                    }
                    var (equation, coefficient) = Resolve(inference, name, text);
                    terms.Add((equation, coefficient, factor));
                }
            }
            if (terms.Count == 0)
                throw new ArgumentException($"Wald restriction '{text}' names no coefficient; use names from: {string.Join(", ", names)}.");
            bool perEquation = terms.Any(t => t.Equation == null) && equations > 1;
            foreach (int e in perEquation ? Enumerable.Range(0, equations) : new[] { -1 })
            {
                var row = new double[equations * p];
                foreach (var (equation, coefficient, factor) in terms)
                {
                    int eq = equation ?? (e >= 0 ? e : 0);
                    row[eq * p + coefficient] += factor;
                }
                rowsR.Add(row);
                rowsQ.Add(-constant);
            }
        }
        var r = new double[rowsR.Count, equations * p];
        for (int a = 0; a < rowsR.Count; a++)
        {
            for (int i = 0; i < equations * p; i++) r[a, i] = rowsR[a][i];
        }
        return (r, rowsQ.ToArray());
    }

    /// <summary>The signed terms of one side: split at + and − (not inside a number's exponent).</summary>
    private static IEnumerable<(double Sign, string Term)> Terms(string side, string restriction)
    {
        var result = new List<(double, string)>();
        double sign = 1;
        int start = 0;
        string s = side.Trim();
        for (int i = 0; i <= s.Length; i++)
        {
            bool end = i == s.Length;
            if (!end && s[i] is not ('+' or '-')) continue;
            if (!end && i > 0 && (s[i - 1] is 'e' or 'E') && i > 1 && char.IsDigit(s[i - 2]) && double.TryParse(s[start..(i - 1)], NumberStyles.Float, CultureInfo.InvariantCulture, out _)) continue;
            string term = s[start..i].Trim();
            if (term.Length > 0) result.Add((sign, term));
            else if (i > 0)
                throw new ArgumentException($"Wald restriction '{restriction}' has an empty term (two signs in a row, or a sign at the end).");
            if (!end) sign = s[i] == '-' ? -1 : 1;
            start = i + 1;
        }
        return result;
    }

    private static double Number(string text, string restriction) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v
            : throw new ArgumentException($"Wald restriction '{restriction}': '{text}' is not a number (write factor * name, e.g. 2 * x1).");

    /// <summary>The equation (null: every one) and the coefficient index a name refers to.</summary>
    private static (int? Equation, int Coefficient) Resolve(InferenceResult inference, string name, string restriction)
    {
        var names = inference.Equations[0].Names;
        int? equation = null;
        string feature = name;
        int colon = name.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0 && inference.Equations.Count > 1 && Array.IndexOf(names, name) < 0)
        {
            string cls = name[..colon].Trim();
            int index = Array.IndexOf(inference.Classes, cls);
            if (index < 1)
                throw new ArgumentException($"Wald restriction '{restriction}' names the class '{cls}', which is not a non-reference class ({string.Join(", ", inference.Classes.Skip(1))}).");
            equation = index - 1;
            feature = name[(colon + 1)..].Trim();
        }
        int coefficient = Array.IndexOf(names, feature);
        if (coefficient < 0)
            throw new ArgumentException($"Wald restriction '{restriction}' names '{feature}', which is not a coefficient of the model ({string.Join(", ", names)}).");
        return (equation, coefficient);
    }
}
