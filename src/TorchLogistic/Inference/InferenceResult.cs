using System.Globalization;
using System.Text;

namespace TorchLogistic.Inference;

/// <summary>
/// Statistical inference for a fitted binary (statsmodels' <c>Logit</c>) or multinomial (<c>MNLogit</c>) logistic
/// regression: coefficient tables, the covariance of the estimates, and likelihood-based fit statistics.
/// Produced by <see cref="LogitInference"/>.
/// </summary>
public sealed class InferenceResult
{
    internal InferenceResult(string model, string[] classes, string penalty, double c, bool standardized, int observationCount, int modelDegreesOfFreedom,
        IReadOnlyList<CoefficientTable> equations, double[,] covariance, double logLikelihood, double nullLogLikelihood,
        double alpha, int newtonIterations, IReadOnlyList<string> notes, CovarianceKind covarianceKind = CovarianceKind.Nonrobust)
    {
        this.CovarianceKind = covarianceKind;
        this.Model = model;
        this.Classes = classes;
        this.Penalty = penalty;
        this.C = c;
        this.Standardized = standardized;
        this.ObservationCount = observationCount;
        this.ModelDegreesOfFreedom = modelDegreesOfFreedom;
        this.Equations = equations;
        this.Covariance = covariance;
        this.LogLikelihood = logLikelihood;
        this.NullLogLikelihood = nullLogLikelihood;
        this.Alpha = alpha;
        this.NewtonIterations = newtonIterations;
        this.Notes = notes;
    }

    /// <summary><c>Logit</c> (binary) or <c>MNLogit</c> (multinomial).</summary>
    public string Model { get; }

    /// <summary>Class names; the first is the reference category.</summary>
    public string[] Classes { get; }

    /// <summary>The reference category: class 0.</summary>
    public string ReferenceClass => Classes[0];

    /// <summary>Penalty of the fit: <c>none</c>, <c>l2</c> or <c>firth</c> (<see cref="FirthLogit"/>).</summary>
    public string Penalty { get; }

    /// <summary>Inverse regularisation strength of an L2 fit.</summary>
    public double C { get; }

    /// <summary>Whether the features were standardised (the coefficients are then per standard deviation).</summary>
    public bool Standardized { get; }

    /// <summary>How <see cref="Covariance"/> and the standard errors were computed.</summary>
    public CovarianceKind CovarianceKind { get; }

    /// <summary>Number of observations m.</summary>
    public int ObservationCount { get; }

    /// <summary>Degrees of freedom of the model: the number of slope coefficients (intercepts excluded).</summary>
    public int ModelDegreesOfFreedom { get; }

    /// <summary>Residual degrees of freedom: m minus the number of estimated coefficients.</summary>
    public int ResidualDegreesOfFreedom => ObservationCount - ModelDegreesOfFreedom - Equations.Count;

    /// <summary>One table per equation (one for a binary model, K − 1 for a multinomial one).</summary>
    public IReadOnlyList<CoefficientTable> Equations { get; }

    /// <summary>Covariance of all coefficients, equation by equation, each <c>[const, features…]</c>.</summary>
    public double[,] Covariance { get; }

    /// <summary>The estimates with their covariance (for <see cref="PredictionIntervals"/> and model files).</summary>
    public CoefficientEstimates Estimates => new(Classes, Equations[0].Names, Equations.SelectMany(e => e.Coefficients).ToArray(), Covariance, CovarianceKind);

    /// <summary>Log-likelihood Σᵢ ln p(yᵢ | xᵢ) at the estimate (without the penalty).</summary>
    public double LogLikelihood { get; }

    /// <summary>Log-likelihood of the intercept-only model.</summary>
    public double NullLogLikelihood { get; }

    /// <summary>Number of estimated coefficients k (intercepts included).</summary>
    public int ParameterCount => Equations.Count * Equations[0].Names.Length;

    /// <summary>Akaike's information criterion −2ℓ + 2k.</summary>
    public double Aic => -2 * LogLikelihood + 2 * ParameterCount;

    /// <summary>Schwarz's Bayesian information criterion −2ℓ + k ln n.</summary>
    public double Bic => -2 * LogLikelihood + ParameterCount * Math.Log(ObservationCount);

    /// <summary>McFadden's pseudo-R², 1 − ℓ/ℓ₀.</summary>
    public double PseudoRSquared => 1 - LogLikelihood / NullLogLikelihood;

    /// <summary>Likelihood-ratio statistic 2(ℓ − ℓ₀).</summary>
    public double LogLikelihoodRatio => 2 * (LogLikelihood - NullLogLikelihood);

    /// <summary>p-value of the likelihood-ratio test against the intercept-only model: χ² survival of <see cref="LogLikelihoodRatio"/> with <see cref="ModelDegreesOfFreedom"/> degrees of freedom.</summary>
    public double LogLikelihoodRatioPValue => SpecialFunctions.ChiSquaredSurvival(LogLikelihoodRatio, ModelDegreesOfFreedom);

    /// <summary>1 − confidence level of the intervals (0.05).</summary>
    public double Alpha { get; }

    /// <summary>Newton steps taken from the solver's estimate to the exact optimum.</summary>
    public int NewtonIterations { get; }

    /// <summary>How the covariance was obtained and anything else the reader should know.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>
    /// A statsmodels-style text table: the fit statistics, then for each equation the coefficients, standard errors,
    /// z, P&gt;|z| and the confidence interval, then the odds ratios with their intervals, then the notes.
    /// </summary>
    public string Summary()
    {
        var c = CultureInfo.InvariantCulture;
        int nameWidth = Math.Max(14, Equations.SelectMany(e => e.Names).Max(n => n.Length) + 2);
        int width = nameWidth + 6 * 11;
        string Rule(char ch) => new(ch, width);
        var text = new StringBuilder();
        string title = $"{Model} Regression Results";
        text.AppendLine(title.PadLeft((width + title.Length) / 2).PadRight(width));
        text.AppendLine(Rule('='));
        string dep = Model == "Logit" ? Classes[1] : "class";
        var left = new (string, string)[]
        {
            ("Dep. Variable:", dep),
            ("Model:", Model),
            ("Method:", Penalty == "none" ? "MLE" : "penalised MLE"),
            ("Penalty:", Penalty is "none" or "firth" ? Penalty : string.Create(c, $"l2, C = {C:G6}")),
            ("Features:", Standardized ? "standardised" : "as given"),
            ("Covariance Type:", CovarianceOptions.NameOf(CovarianceKind)),
            ("Reference class:", ReferenceClass),
        };
        var right = new (string, string)[]
        {
            ("No. Observations:", ObservationCount.ToString(c)),
            ("Df Residuals:", ResidualDegreesOfFreedom.ToString(c)),
            ("Df Model:", ModelDegreesOfFreedom.ToString(c)),
            ("Pseudo R-squ.:", PseudoRSquared.ToString("F4", c)),
            ("Log-Likelihood:", Significant(LogLikelihood)),
            ("LL-Null:", Significant(NullLogLikelihood)),
            ("LLR p-value:", LogLikelihoodRatioPValue.ToString("0.000E+0", c).Replace("E", "e", StringComparison.Ordinal)),
        };
        int half = width / 2;
        for (int i = 0; i < left.Length; i++)
        {
            string l = left[i].Item1 + left[i].Item2.PadLeft(half - 3 - left[i].Item1.Length);
            string r = right[i].Item1 + right[i].Item2.PadLeft(width - half - right[i].Item1.Length);
            text.Append(l).Append("   ").AppendLine(r);
        }
        string z = SpecialFunctions.NormalInverseCdf(1 - Alpha / 2).ToString("F3", c);
        string lowerLabel = (Alpha / 2).ToString("0.000", c), upperLabel = (1 - Alpha / 2).ToString("0.000", c);
        foreach (var e in Equations)
        {
            text.AppendLine(Rule('='));
            string head = Model == "Logit" ? "" : e.Label;
            text.AppendLine(head.PadRight(nameWidth) + string.Concat(new[] { "coef", "std err", "z", "P>|z|", $"[{lowerLabel}", $"{upperLabel}]" }.Select(h => h.PadLeft(11))));
            text.AppendLine(Rule('-'));
            for (int j = 0; j < e.Names.Length; j++)
            {
                text.Append(e.Names[j].PadRight(nameWidth));
                text.Append(Number(e.Coefficients[j], 4)).Append(Number(e.StandardErrors[j], 3)).Append(Number(e.Z[j], 3));
                text.Append(e.PValues[j].ToString("F3", c).PadLeft(11)).Append(Number(e.ConfidenceLower[j], 3)).AppendLine(Number(e.ConfidenceUpper[j], 3));
            }
        }
        text.AppendLine(Rule('='));
        text.AppendLine($"Odds ratios exp(coef) with {100 * (1 - Alpha):0.#}% intervals (z = {z})");
        foreach (var e in Equations)
        {
            text.AppendLine(Rule('-'));
            string head = Model == "Logit" ? "" : e.Label;
            text.AppendLine(head.PadRight(nameWidth) + string.Concat(new[] { "odds ratio", $"[{lowerLabel}", $"{upperLabel}]" }.Select(h => h.PadLeft(11))));
            for (int j = 0; j < e.Names.Length; j++)
                text.AppendLine(e.Names[j].PadRight(nameWidth) + Number(e.OddsRatio[j], 4) + Number(e.OddsRatioLower[j], 4) + Number(e.OddsRatioUpper[j], 4));
        }
        text.AppendLine(Rule('='));
        foreach (string note in Notes) text.AppendLine(Wrap(note, width));
        return text.ToString();
    }

    private static string Significant(double v) => v.ToString(Math.Abs(v) >= 1000 ? "F2" : Math.Abs(v) >= 100 ? "F3" : "F4", CultureInfo.InvariantCulture);

    private static string Number(double v, int decimals)
    {
        var c = CultureInfo.InvariantCulture;
        double a = Math.Abs(v);
        string s = double.IsFinite(v) && (a >= 1e6 || (a < 1e-4 && a != 0)) ? v.ToString("0.000E+00", c) : v.ToString("F" + decimals.ToString(c), c);
        return s.PadLeft(11);
    }

    private static string Wrap(string text, int width)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (string word in text.Split(' '))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                lines.Add(line.ToString());
                line.Clear();
            }
            if (line.Length > 0) line.Append(' ');
            line.Append(word);
        }
        lines.Add(line.ToString());
        return string.Join(Environment.NewLine, lines);
    }
}
