using TorchLogistic.Data;
using TorchLogistic.Metrics;
using TorchLogistic.Objectives;
using TorchLogistic.Training;

namespace TorchLogistic.Selection;

/// <summary>One point of a regularisation path: the model fitted at one C.</summary>
/// <param name="C">Inverse regularisation strength of this fit.</param>
/// <param name="Theta">Fitted θ = [vec(W); b] in the coordinates the model was trained in (expanded, then standardised when the options say so).</param>
/// <param name="CoefficientCount">Number of coefficients K·d (θ without the K intercepts).</param>
/// <param name="ZeroCount">Coefficients exactly 0.0 (intercepts not counted).</param>
/// <param name="Objective">Final training objective F(θ) at this C.</param>
/// <param name="Iterations">Solver iterations of this fit.</param>
/// <param name="Converged">Whether the fit reached the tolerance.</param>
/// <param name="Train">Evaluation of the training rows (accuracy, log loss, …).</param>
/// <param name="Test">Evaluation of the test rows, when test rows were given.</param>
public sealed record RegularizationPathStep(double C, double[] Theta, int CoefficientCount, int ZeroCount, double Objective, int Iterations,
    bool Converged, Evaluation Train, Evaluation? Test)
{
    /// <summary>The coefficients: θ without the intercepts, row-major <c>(K, d)</c>.</summary>
    public double[] Coefficients => Theta[..CoefficientCount];
}

/// <summary>
/// Fits one model per value of C, each started from the previous solution (warm start), as scikit-learn's
/// <c>l1_min_c</c> example and glmnet compute a regularisation path; and the smallest C at which an L1 penalty
/// leaves any coefficient non-zero.
/// </summary>
public static class RegularizationPath
{
    /// <summary>
    /// Fits <paramref name="train"/> at every C of <paramref name="cs"/>, in the given order, with
    /// <paramref name="options"/> (whose own C is replaced). Increasing C (strong to weak regularisation) is the
    /// natural order: each solution is then close to the next one's and its start point.
    /// </summary>
    /// <param name="train">Training rows (raw features; expanded and standardised as the options say).</param>
    /// <param name="options">Model, penalty, solver, tolerance, expansion, scaling.</param>
    /// <param name="cs">The values of C, each finite and &gt; 0.</param>
    /// <param name="test">Optional held-out rows, evaluated at every C.</param>
    /// <param name="warmStart">Start each fit from the previous fit's θ (default true); false starts every fit from θ = 0.</param>
    public static IReadOnlyList<RegularizationPathStep> Fit(Dataset train, TrainingOptions options, IReadOnlyList<double> cs,
        Dataset? test = null, bool warmStart = true)
    {
        if (cs.Count == 0) throw new ArgumentException("A regularisation path needs at least one value of C.");
        foreach (double c in cs)
        {
            if (!(c > 0) || !double.IsFinite(c))
                throw new ArgumentException($"C = {c} on the path must be a finite number > 0 (e.g. RegularizationPath.LogGrid(1e-3, 1e3, 13)).");
        }
        var steps = new List<RegularizationPathStep>(cs.Count);
        double[]? previous = null;
        foreach (double c in cs)
        {
            using var model = Trainer.Fit(train, options with { C = c }, initialTheta: warmStart ? previous : null);
            double[] theta = model.Module.ParametersToVector();
            int n = (int)(model.Module.OutputCount * model.Module.FeatureCount);
            int zeros = 0;
            for (int j = 0; j < n; j++) if (theta[j] == 0) zeros++;
            var result = model.Result!;
            steps.Add(new RegularizationPathStep(c, theta, n, zeros, result.Objective, result.Iterations, result.Converged,
                Evaluation.Of(model, train), test == null ? null : Evaluation.Of(model, test)));
            previous = theta;
        }
        return steps;
    }

    /// <summary>
    /// The smallest C at which the L1 or elastic-net penalty of <paramref name="options"/> lets any coefficient of
    /// <paramref name="train"/> be non-zero; at every C up to it, all coefficients are exactly 0 and only the
    /// intercepts are fitted. With W = 0 the optimal intercepts give every class its weighted share p̄ₖ, and
    /// W = 0 stays optimal while |∂F/∂Wₖⱼ| = |Σᵢ sᵢ(p̄ₖ − Yᵢₖ)xᵢⱼ|/m ≤ ρ/(C·m), so
    /// <c>C_min = ρ / maxₖⱼ |Σᵢ sᵢ(Yᵢₖ − p̄ₖ)xᵢⱼ|</c> (ρ = 1 for L1, the l1_ratio for elastic net; x as trained:
    /// expanded, then standardised when the options say so; Y one-hot, or the 0/1 label for binary logistic).
    /// On centred features it equals scikit-learn's <c>l1_min_c(X, y, loss="log")</c>, unless the intercept
    /// term of that function (which assumes a penalised intercept) dominates.
    /// </summary>
    /// <param name="train">Training rows (raw features).</param>
    /// <param name="options">The penalty (L1 or elastic net), model, class weights, expansion and scaling.</param>
    public static double L1MinC(Dataset train, TrainingOptions options)
    {
        if (options.Penalty is not (PenaltyKind.L1 or PenaltyKind.ElasticNet))
            throw new ArgumentException($"l1_min_c is the C below which an L1 penalty zeroes every coefficient; the options' penalty is {options.PenaltyObject.Name}. Use penalty L1 or ElasticNet.");
        if (options.Model == ModelKind.OneVsRest)
            throw new ArgumentException("l1_min_c of one-vs-rest differs per member; compute it for each member's binary problem (model Logistic on 'class k vs rest' labels).");
        var polynomial = options.PolynomialDegree > 1 ? new PolynomialFeatures(train.FeatureCount, options.PolynomialDegree) : null;
        var rows = polynomial?.Transform(train) ?? train;
        if (options.Standardize) rows = StandardScaler.Fit(rows).Transform(rows);
        double[] s = SampleWeights.Combine(train.Labels, train.SampleWeight, Trainer.ClassWeights(train, options))
            ?? Enumerable.Repeat(1.0, train.SampleCount).ToArray();
        int d = rows.FeatureCount;
        // Binary logistic regression has one logit, of class 1; softmax one per class.
        int[] outputs = options.Model == ModelKind.Logistic ? new[] { 1 } : Enumerable.Range(0, train.ClassCount).ToArray();
        double total = s.Sum(), largest = 0;
        foreach (int k in outputs)
        {
            double share = 0;
            for (int i = 0; i < rows.SampleCount; i++) if (rows.Labels[i] == k) share += s[i];
            share /= total;
            var correlation = new double[d];
            for (int i = 0; i < rows.SampleCount; i++)
            {
                double r = s[i] * ((rows.Labels[i] == k ? 1 : 0) - share);
                for (int j = 0; j < d; j++) correlation[j] += r * rows[i, j];
            }
            largest = Math.Max(largest, correlation.Max(Math.Abs));
        }
        if (!(largest > 0))
            throw new ArgumentException($"No feature of '{train.Name}' is correlated with the labels: every coefficient is 0 at every C. Check the label column.");
        return options.PenaltyObject.L1Share / largest;
    }

    /// <summary><paramref name="count"/> values from <paramref name="start"/> to <paramref name="stop"/> (both included), evenly spaced in log scale, as numpy's <c>geomspace</c>.</summary>
    /// <param name="start">First value, &gt; 0.</param>
    /// <param name="stop">Last value, &gt; 0.</param>
    /// <param name="count">Number of values, ≥ 2.</param>
    public static double[] LogGrid(double start, double stop, int count)
    {
        if (!(start > 0) || !(stop > 0) || !double.IsFinite(start) || !double.IsFinite(stop))
            throw new ArgumentException($"A log grid runs between positive numbers; got {start} to {stop}.");
        if (count < 2) throw new ArgumentOutOfRangeException(nameof(count), count, $"count = {count} must be ≥ 2 (start and stop).");
        double a = Math.Log(start), b = Math.Log(stop);
        return Enumerable.Range(0, count).Select(i => i == 0 ? start : i == count - 1 ? stop : Math.Exp(a + (b - a) * i / (count - 1))).ToArray();
    }
}
