using TorchLogistic.Data;
using TorchLogistic.Models;
using TorchLogistic.Objectives;
using TorchLogistic.Optim;
using static TorchSharp.torch;

namespace TorchLogistic.Training;

/// <summary>
/// Trains a <see cref="OneVsRest"/> model: for each class k, a binary logistic regression on the same rows with
/// labels <c>1[yᵢ = k]</c>, through the same <see cref="TrainingLoop"/>, objective and solver as every other
/// model. The options apply to each member; class weights are read per member:
/// <list type="bullet">
/// <item><c>balanced</c> balances each member's own binary problem — <c>m/(2·m_k)</c> for class k's rows and
/// <c>m/(2·(m − m_k))</c> for the rest — which counters the 1 : K−1 imbalance every member sees;</item>
/// <item>explicit weights w₀…w_{K−1} weigh row i by <c>w_{yᵢ}</c> in every member (scikit-learn's
/// <c>multi_class="ovr"</c>).</item>
/// </list>
/// The members' objectives are independent, so the model's objective is their sum, minimised by minimising
/// each one; see <see cref="Combine"/> for how their runs are summarised.
/// </summary>
public static class OneVsRestTrainer
{
    /// <summary>Trains one member per class (called by <see cref="Trainer.Fit"/> for <see cref="ModelKind.OneVsRest"/>).</summary>
    /// <param name="train">The training rows as given (for class names and labels).</param>
    /// <param name="trainRows">The training rows the members see (standardised when the options say so).</param>
    /// <param name="testRows">Held-out rows, transformed like <paramref name="trainRows"/>, or null.</param>
    /// <param name="scaler">The scaler fitted on the training rows, or null.</param>
    /// <param name="options">Validated options.</param>
    /// <param name="onIteration">Called after every iteration of every member.</param>
    /// <param name="cancellation">Stops training between iterations.</param>
    /// <param name="initialTheta">Optional start point in the stacked layout <c>[vec(W); b]</c> of K rows.</param>
    /// <param name="polynomial">The polynomial expansion that made <paramref name="trainRows"/>, or null.</param>
    internal static FittedModel Fit(Dataset train, Dataset trainRows, Dataset? testRows, StandardScaler? scaler, TrainingOptions options,
        Action<IterationRecord>? onIteration, CancellationToken cancellation, double[]? initialTheta, PolynomialFeatures? polynomial)
    {
        int classCount = train.ClassCount;
        int d = trainRows.FeatureCount;
        var module = new OneVsRest(d, classCount, options.DType, options.FitIntercept);
        bool intercept = options.FitIntercept;
        try
        {
            double[] theta = initialTheta ?? new double[module.ParameterCount];
            if (theta.Length != module.ParameterCount)
                throw new ArgumentException($"The warm-start model has {theta.Length} parameters; this problem needs {module.ParameterCount}. Warm-start from a model trained on the same features and classes.");
            theta = (double[])theta.Clone();
            var results = new List<TrainingResult>(classCount);
            using var scope = NewDisposeScope();
            var x = trainRows.FeaturesTensor(options.DType);
            var xTest = testRows?.FeaturesTensor(options.DType);
            for (int k = 0; k < classCount; k++)
            {
                using var memberScope = NewDisposeScope();
                int[] yk = BinaryLabels(train.Labels, k);
                double[]? s = MemberWeights(train, yk, options);
                var sw = s == null ? null : tensor(s, ScalarType.Float64).to_type(options.DType);
                using var member = new LogisticRegression(d, options.DType, intercept);
                using var objective = Trainer.CreateObjective(member, x, tensor(yk.Select(v => (long)v).ToArray()), sw, options);
                using var testObjective = xTest is null ? null
                    : new LinearModelObjective(xTest, tensor(BinaryLabels(testRows!.Labels, k).Select(v => (long)v).ToArray()), 1, Penalty.None, fitIntercept: intercept);
                double[] row = theta.AsSpan(k * d, d).ToArray();
                double[] start = intercept ? row.Append(theta[classCount * d + k]).ToArray() : row;
                var result = TrainingLoop.Run(objective, SolverRegistry.Create(options.SolverSettings, options.Penalty, trainRows.FeatureCount), start, options.MaxIterations, options.Tolerance,
                    testObjective == null ? null : testObjective.Value, onIteration, cancellation);
                Array.Copy(result.Theta, 0, theta, k * d, d);
                if (intercept) theta[classCount * d + k] = result.Theta[d];
                results.Add(result);
            }
            module.VectorToParameters(theta);
            return new FittedModel(module, train.Classes, train.FeatureNames, scaler, options, Combine(results, theta), polynomial, results);
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    /// <summary>
    /// One run summarising the members': θ stacked, objective = Σ_k F_k (the one-vs-rest objective),
    /// criterion = max_k, iterations = max_k (the members run one after another, each from iteration 0),
    /// function evaluations and seconds summed, converged when every member converged. Its history has a
    /// record at every iteration any member recorded, each member counted at its last record up to that
    /// iteration (a member that stopped stays at its final state); test loss there is the sum of the members'
    /// binary test log losses. A member that diverged makes the run <see cref="StopReason.Diverged"/> with the
    /// first such member's iteration and reason.
    /// </summary>
    /// <param name="members">The members' results, class 0's first.</param>
    /// <param name="theta">The stacked parameters.</param>
    public static TrainingResult Combine(IReadOnlyList<TrainingResult> members, double[] theta)
    {
        if (members.Count == 0) throw new ArgumentException("One-vs-rest needs at least one member result.");
        var iterations = members.SelectMany(r => r.History.Select(h => h.Iteration)).Distinct().Order().ToList();
        var next = new int[members.Count];
        var history = new List<IterationRecord>(iterations.Count);
        foreach (int t in iterations)
        {
            var current = new IterationRecord[members.Count];
            for (int k = 0; k < members.Count; k++)
            {
                var h = members[k].History;
                while (next[k] + 1 < h.Count && h[next[k] + 1].Iteration <= t) next[k]++;
                current[k] = h[next[k]];
            }
            history.Add(new IterationRecord(t, current.Sum(r => r.Objective), current.Max(r => r.Criterion),
                current.Sum(r => r.FunctionEvaluations), current.Sum(r => r.Seconds),
                current.All(r => r.TestLoss.HasValue) ? current.Sum(r => r.TestLoss!.Value) : null));
        }
        int stride = 1;
        while (history.Count / stride > TrainingLoop.MaxHistory) stride *= 2;
        if (stride > 1) history = history.Where((_, i) => i % stride == 0 || i == history.Count - 1).ToList();

        var notConverged = Enumerable.Range(0, members.Count).Where(k => !members[k].Converged).ToList();
        var diverged = members.FirstOrDefault(r => r.Stop == StopReason.Diverged);
        if (diverged != null)
        {
            return new TrainingResult(diverged.Solver, theta, double.NaN, double.NaN, diverged.Iterations, false, StopReason.Diverged, diverged.StopDescription,
                members.Sum(r => r.FunctionEvaluations), members.Sum(r => r.FitSeconds), history);
        }
        var stop = notConverged.Count == 0 ? StopReason.Converged
            : notConverged.Any(k => members[k].Stop == StopReason.MaxIterations) ? StopReason.MaxIterations : StopReason.Stalled;
        string reason = notConverged.Count == 0
            ? $"converged: all {members.Count} members (largest criterion {members.Max(r => r.Criterion):g3})"
            : $"{notConverged.Count} of {members.Count} members did not converge: " + string.Join("; ", notConverged.Select(k => $"member {k}: {members[k].StopDescription}"));
        return new TrainingResult(members[0].Solver, theta, members.Sum(r => r.Objective), members.Max(r => r.Criterion),
            members.Max(r => r.Iterations), notConverged.Count == 0, stop, reason, members.Sum(r => r.FunctionEvaluations),
            members.Sum(r => r.FitSeconds), history);
    }

    private static int[] BinaryLabels(int[] labels, int k) => labels.Select(y => y == k ? 1 : 0).ToArray();

    /// <summary>The member's sᵢ: sample weight times its class weight (see the class summary), or null for all ones.</summary>
    private static double[]? MemberWeights(Dataset train, int[] yk, TrainingOptions options) =>
        options.ClassWeight == ClassWeightMode.Balanced
            ? SampleWeights.Combine(yk, train.SampleWeight, SampleWeights.Balanced(yk, 2))
            : SampleWeights.Combine(train.Labels, train.SampleWeight, Trainer.ClassWeights(train, options));
}
