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
    internal InferenceResult(string model, string[] classes, string penalty, double C, bool standardized, int n_obs, int df_model,
        IReadOnlyList<CoefficientTable> equations, double[,] covariance, double log_likelihood, double null_log_likelihood,
        double alpha, int newton_iterations, IReadOnlyList<string> notes)
    {
        this.model = model;
        this.classes = classes;
        this.penalty = penalty;
        this.C = C;
        this.standardized = standardized;
        this.n_obs = n_obs;
        this.df_model = df_model;
        this.equations = equations;
        this.covariance = covariance;
        this.log_likelihood = log_likelihood;
        this.null_log_likelihood = null_log_likelihood;
        this.alpha = alpha;
        this.newton_iterations = newton_iterations;
        this.notes = notes;
    }

    /// <summary><c>Logit</c> (binary) or <c>MNLogit</c> (multinomial).</summary>
    public string model { get; }

    /// <summary>Class names; the first is the reference category.</summary>
    public string[] classes { get; }

    /// <summary>The reference category: class 0.</summary>
    public string reference_class => classes[0];

    /// <summary>Penalty of the fit: <c>none</c> or <c>l2</c>.</summary>
    public string penalty { get; }

    /// <summary>Inverse regularisation strength of an L2 fit.</summary>
    public double C { get; }

    /// <summary>Whether the features were standardised (the coefficients are then per standard deviation).</summary>
    public bool standardized { get; }

    /// <summary>Number of observations m.</summary>
    public int n_obs { get; }

    /// <summary>Degrees of freedom of the model: the number of slope coefficients (intercepts excluded).</summary>
    public int df_model { get; }

    /// <summary>Residual degrees of freedom: m minus the number of estimated coefficients.</summary>
    public int df_resid => n_obs - df_model - equations.Count;

    /// <summary>One table per equation (one for a binary model, K − 1 for a multinomial one).</summary>
    public IReadOnlyList<CoefficientTable> equations { get; }

    /// <summary>Covariance of all coefficients, equation by equation, each <c>[const, features…]</c>.</summary>
    public double[,] covariance { get; }

    /// <summary>Log-likelihood Σᵢ ln p(yᵢ | xᵢ) at the estimate (without the penalty).</summary>
    public double log_likelihood { get; }

    /// <summary>Log-likelihood of the intercept-only model.</summary>
    public double null_log_likelihood { get; }

    /// <summary>McFadden's pseudo-R², 1 − ℓ/ℓ₀.</summary>
    public double pseudo_r_squared => 1 - log_likelihood / null_log_likelihood;

    /// <summary>Likelihood-ratio statistic 2(ℓ − ℓ₀).</summary>
    public double llr => 2 * (log_likelihood - null_log_likelihood);

    /// <summary>p-value of the likelihood-ratio test against the intercept-only model: χ² survival of <see cref="llr"/> with <see cref="df_model"/> degrees of freedom.</summary>
    public double llr_p_value => SpecialFunctions.chi2_sf(llr, df_model);

    /// <summary>1 − confidence level of the intervals (0.05).</summary>
    public double alpha { get; }

    /// <summary>Newton steps taken from the solver's estimate to the exact optimum.</summary>
    public int newton_iterations { get; }

    /// <summary>How the covariance was obtained and anything else the reader should know.</summary>
    public IReadOnlyList<string> notes { get; }

    /// <summary>
    /// A statsmodels-style text table: the fit statistics, then for each equation the coefficients, standard errors,
    /// z, P&gt;|z| and the confidence interval, then the odds ratios with their intervals, then the notes.
    /// </summary>
    public string Summary()
    {
        var c = CultureInfo.InvariantCulture;
        int nameWidth = Math.Max(14, equations.SelectMany(e => e.names).Max(n => n.Length) + 2);
        int width = nameWidth + 6 * 11;
        string rule(char ch) => new(ch, width);
        var text = new StringBuilder();
        string title = $"{model} Regression Results";
        text.AppendLine(title.PadLeft((width + title.Length) / 2).PadRight(width));
        text.AppendLine(rule('='));
        string dep = model == "Logit" ? classes[1] : "class";
        var left = new (string, string)[]
        {
            ("Dep. Variable:", dep),
            ("Model:", model),
            ("Method:", penalty == "none" ? "MLE" : "penalised MLE"),
            ("Penalty:", penalty == "none" ? "none" : string.Create(c, $"l2, C = {C:G6}")),
            ("Features:", standardized ? "standardised" : "as given"),
            ("Covariance Type:", "nonrobust"),
            ("Reference class:", reference_class),
        };
        var right = new (string, string)[]
        {
            ("No. Observations:", n_obs.ToString(c)),
            ("Df Residuals:", df_resid.ToString(c)),
            ("Df Model:", df_model.ToString(c)),
            ("Pseudo R-squ.:", pseudo_r_squared.ToString("F4", c)),
            ("Log-Likelihood:", significant(log_likelihood)),
            ("LL-Null:", significant(null_log_likelihood)),
            ("LLR p-value:", llr_p_value.ToString("0.000E+0", c).Replace("E", "e", StringComparison.Ordinal)),
        };
        int half = width / 2;
        for (int i = 0; i < left.Length; i++)
        {
            string l = left[i].Item1 + left[i].Item2.PadLeft(half - 3 - left[i].Item1.Length);
            string r = right[i].Item1 + right[i].Item2.PadLeft(width - half - right[i].Item1.Length);
            text.Append(l).Append("   ").AppendLine(r);
        }
        string z = SpecialFunctions.normal_ppf(1 - alpha / 2).ToString("F3", c);
        string lowerLabel = (alpha / 2).ToString("0.000", c), upperLabel = (1 - alpha / 2).ToString("0.000", c);
        foreach (var e in equations)
        {
            text.AppendLine(rule('='));
            string head = model == "Logit" ? "" : e.label;
            text.AppendLine(head.PadRight(nameWidth) + string.Concat(new[] { "coef", "std err", "z", "P>|z|", $"[{lowerLabel}", $"{upperLabel}]" }.Select(h => h.PadLeft(11))));
            text.AppendLine(rule('-'));
            for (int j = 0; j < e.names.Length; j++)
            {
                text.Append(e.names[j].PadRight(nameWidth));
                text.Append(number(e.coef[j], 4)).Append(number(e.std_err[j], 3)).Append(number(e.z[j], 3));
                text.Append(e.p_values[j].ToString("F3", c).PadLeft(11)).Append(number(e.conf_lower[j], 3)).AppendLine(number(e.conf_upper[j], 3));
            }
        }
        text.AppendLine(rule('='));
        text.AppendLine($"Odds ratios exp(coef) with {100 * (1 - alpha):0.#}% intervals (z = {z})");
        foreach (var e in equations)
        {
            text.AppendLine(rule('-'));
            string head = model == "Logit" ? "" : e.label;
            text.AppendLine(head.PadRight(nameWidth) + string.Concat(new[] { "odds ratio", $"[{lowerLabel}", $"{upperLabel}]" }.Select(h => h.PadLeft(11))));
            for (int j = 0; j < e.names.Length; j++)
                text.AppendLine(e.names[j].PadRight(nameWidth) + number(e.odds_ratio[j], 4) + number(e.odds_ratio_lower[j], 4) + number(e.odds_ratio_upper[j], 4));
        }
        text.AppendLine(rule('='));
        foreach (string note in notes) text.AppendLine(wrap(note, width));
        return text.ToString();
    }

    private static string significant(double v) => v.ToString(Math.Abs(v) >= 1000 ? "F2" : Math.Abs(v) >= 100 ? "F3" : "F4", CultureInfo.InvariantCulture);

    private static string number(double v, int decimals)
    {
        var c = CultureInfo.InvariantCulture;
        double a = Math.Abs(v);
        string s = double.IsFinite(v) && (a >= 1e6 || (a < 1e-4 && a != 0)) ? v.ToString("0.000E+00", c) : v.ToString("F" + decimals.ToString(c), c);
        return s.PadLeft(11);
    }

    private static string wrap(string text, int width)
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
