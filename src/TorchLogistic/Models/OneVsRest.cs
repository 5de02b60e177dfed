using static TorchSharp.torch;

namespace TorchLogistic.Models;

/// <summary>
/// One-vs-rest: K binary logistic regressions, member k trained on "class k vs the rest", stored stacked as the
/// K rows of one <c>Linear(d, K)</c> — row k is member k, <c>P_k(x) = σ(w_k·x + b_k)</c>, exactly a
/// <see cref="LogisticRegression"/> (see <see cref="Member"/>). It predicts the class of the most confident
/// member and reports probabilities normalised across members, <c>P_k / Σ_j P_j</c>, as scikit-learn does.
/// <para>
/// Its three limits are kept visible rather than hidden: each member sees a 1 : K−1 class imbalance (train
/// with per-member balancing to counter it); two members can be equally confident (<see cref="CountTies"/>);
/// and the members are fitted apart, so their probabilities need not sum to 1 — there is no joint model of
/// uncertainty, and the normalisation is a repair (<see cref="MemberProbabilities"/> gives the raw ones).
/// </para>
/// </summary>
public sealed class OneVsRest : LinearClassifier
{
    /// <summary>Rows whose two largest member probabilities differ by at most this count as ties (<see cref="CountTies"/>).</summary>
    public const double TieTolerance = 1e-12;

    /// <summary>Creates K untrained members (all parameters zero).</summary>
    /// <param name="featureCount">Number of input features d.</param>
    /// <param name="classCount">Number of classes K ≥ 2, one member each.</param>
    /// <param name="dtype">Parameter dtype, float64 by default.</param>
    /// <param name="fitIntercept">Whether the model has intercepts (default true; false: scikit-learn's <c>fit_intercept=False</c>).</param>
    public OneVsRest(long featureCount, int classCount, ScalarType dtype = ScalarType.Float64, bool fitIntercept = true)
        : base(nameof(OneVsRest), featureCount, classCount >= 2 ? classCount : throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "One-vs-rest needs at least 2 classes."), dtype, fitIntercept) { }

    /// <inheritdoc />
    public override int ClassCount => (int)OutputCount;

    /// <summary>Each member's probability of its class, <c>σ(X Wᵀ + b)</c>, shape <c>(m, K)</c>; rows need not sum to 1.</summary>
    public Tensor MemberProbabilities(Tensor x)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return forward(x).sigmoid().MoveToOuterDisposeScope();
    }

    /// <summary>Member probabilities normalised per row, <c>P_k / Σ_j P_j</c>, shape <c>(m, K)</c>.</summary>
    public override Tensor PredictProbabilities(Tensor x)
    {
        using var scope = NewDisposeScope();
        var p = MemberProbabilities(x);
        return (p / p.sum(1, keepdim: true)).MoveToOuterDisposeScope();
    }

    /// <summary>Member k as a stand-alone binary model (a copy; the caller disposes it).</summary>
    /// <param name="k">Class index in <c>[0, K)</c>.</param>
    public LogisticRegression Member(int k)
    {
        if (k < 0 || k >= ClassCount) throw new ArgumentOutOfRangeException(nameof(k), k, $"Member {k} does not exist; there are {ClassCount} (0 to {ClassCount - 1}).");
        var model = new LogisticRegression(FeatureCount, DType, FitIntercept);
        double[] theta = ParametersToVector();
        int d = (int)FeatureCount;
        var row = theta.AsSpan(k * d, d).ToArray();
        model.VectorToParameters(FitIntercept ? row.Append(theta[ClassCount * d + k]).ToArray() : row);
        return model;
    }

    /// <summary>
    /// Number of rows of a row-major <c>(m, K)</c> matrix of member probabilities whose two largest entries
    /// differ by at most <paramref name="tolerance"/>: rows where two members are equally confident and the
    /// prediction (the first of them) is arbitrary.
    /// </summary>
    /// <param name="memberProbabilities">Member probabilities, row-major <c>(m, K)</c>, K ≥ 2.</param>
    /// <param name="classCount">K.</param>
    /// <param name="tolerance">Largest gap counted as a tie (default <see cref="TieTolerance"/>).</param>
    public static int CountTies(double[] memberProbabilities, int classCount, double tolerance = TieTolerance)
    {
        if (classCount < 2 || memberProbabilities.Length % classCount != 0)
            throw new ArgumentException($"{memberProbabilities.Length} probabilities do not form rows of {classCount} ≥ 2 members.");
        int ties = 0;
        for (int i = 0; i < memberProbabilities.Length / classCount; i++)
        {
            double first = double.NegativeInfinity, second = double.NegativeInfinity;
            for (int k = 0; k < classCount; k++)
            {
                double p = memberProbabilities[i * classCount + k];
                if (p > first) (first, second) = (p, first);
                else if (p > second) second = p;
            }
            if (first - second <= tolerance) ties++;
        }
        return ties;
    }
}
