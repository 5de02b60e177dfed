using static TorchSharp.torch;

namespace TorchLogistic.Models;

/// <summary>
/// One-vs-rest: K binary logistic regressions, member k trained on "class k vs the rest", stored stacked as the
/// K rows of one <c>Linear(d, K)</c> — row k is member k, <c>P_k(x) = σ(w_k·x + b_k)</c>, exactly a
/// <see cref="LogisticRegression"/> (see <see cref="member"/>). It predicts the class of the most confident
/// member and reports probabilities normalised across members, <c>P_k / Σ_j P_j</c>, as scikit-learn does.
/// <para>
/// Its three limits are kept visible rather than hidden: each member sees a 1 : K−1 class imbalance (train
/// with per-member balancing to counter it); two members can be equally confident (<see cref="count_ties"/>);
/// and the members are fitted apart, so their probabilities need not sum to 1 — there is no joint model of
/// uncertainty, and the normalisation is a repair (<see cref="member_proba"/> gives the raw ones).
/// </para>
/// </summary>
public sealed class OneVsRest : LinearClassifier
{
    /// <summary>Rows whose two largest member probabilities differ by at most this count as ties (<see cref="count_ties"/>).</summary>
    public const double tie_tolerance = 1e-12;

    /// <summary>Creates K untrained members (all parameters zero).</summary>
    /// <param name="in_features">Number of input features d.</param>
    /// <param name="n_classes">Number of classes K ≥ 2, one member each.</param>
    /// <param name="dtype">Parameter dtype, float64 by default.</param>
    public OneVsRest(long in_features, int n_classes, ScalarType dtype = ScalarType.Float64)
        : base(nameof(OneVsRest), in_features, n_classes >= 2 ? n_classes : throw new ArgumentOutOfRangeException(nameof(n_classes), n_classes, "One-vs-rest needs at least 2 classes."), dtype) { }

    /// <inheritdoc />
    public override int n_classes => (int)n_outputs;

    /// <summary>Each member's probability of its class, <c>σ(X Wᵀ + b)</c>, shape <c>(m, K)</c>; rows need not sum to 1.</summary>
    public Tensor member_proba(Tensor x)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return forward(x).sigmoid().MoveToOuterDisposeScope();
    }

    /// <summary>Member probabilities normalised per row, <c>P_k / Σ_j P_j</c>, shape <c>(m, K)</c>.</summary>
    public override Tensor predict_proba(Tensor x)
    {
        using var scope = NewDisposeScope();
        var p = member_proba(x);
        return (p / p.sum(1, keepdim: true)).MoveToOuterDisposeScope();
    }

    /// <summary>Member k as a stand-alone binary model (a copy; the caller disposes it).</summary>
    /// <param name="k">Class index in <c>[0, K)</c>.</param>
    public LogisticRegression member(int k)
    {
        if (k < 0 || k >= n_classes) throw new ArgumentOutOfRangeException(nameof(k), k, $"Member {k} does not exist; there are {n_classes} (0 to {n_classes - 1}).");
        var model = new LogisticRegression(in_features, dtype);
        double[] theta = parameters_to_vector();
        int d = (int)in_features;
        model.vector_to_parameters(theta.AsSpan(k * d, d).ToArray().Append(theta[n_classes * d + k]).ToArray());
        return model;
    }

    /// <summary>
    /// Number of rows of a row-major <c>(m, K)</c> matrix of member probabilities whose two largest entries
    /// differ by at most <paramref name="tolerance"/>: rows where two members are equally confident and the
    /// prediction (the first of them) is arbitrary.
    /// </summary>
    /// <param name="member_proba">Member probabilities, row-major <c>(m, K)</c>, K ≥ 2.</param>
    /// <param name="n_classes">K.</param>
    /// <param name="tolerance">Largest gap counted as a tie (default <see cref="tie_tolerance"/>).</param>
    public static int count_ties(double[] member_proba, int n_classes, double tolerance = tie_tolerance)
    {
        if (n_classes < 2 || member_proba.Length % n_classes != 0)
            throw new ArgumentException($"{member_proba.Length} probabilities do not form rows of {n_classes} ≥ 2 members.");
        int ties = 0;
        for (int i = 0; i < member_proba.Length / n_classes; i++)
        {
            double first = double.NegativeInfinity, second = double.NegativeInfinity;
            for (int k = 0; k < n_classes; k++)
            {
                double p = member_proba[i * n_classes + k];
                if (p > first) (first, second) = (p, first);
                else if (p > second) second = p;
            }
            if (first - second <= tolerance) ties++;
        }
        return ties;
    }
}
