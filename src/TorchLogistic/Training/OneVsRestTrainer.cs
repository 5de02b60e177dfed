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
/// each one; see <see cref="combine"/> for how their runs are summarised.
/// </summary>
public static class OneVsRestTrainer
{
    /// <summary>Trains one member per class (called by <see cref="Trainer.fit"/> for <see cref="ModelKind.OneVsRest"/>).</summary>
    /// <param name="train">The training rows as given (for class names and labels).</param>
    /// <param name="train_rows">The training rows the members see (standardised when the options say so).</param>
    /// <param name="test_rows">Held-out rows, transformed like <paramref name="train_rows"/>, or null.</param>
    /// <param name="scaler">The scaler fitted on the training rows, or null.</param>
    /// <param name="options">Validated options.</param>
    /// <param name="on_iteration">Called after every iteration of every member.</param>
    /// <param name="cancellation">Stops training between iterations.</param>
    /// <param name="initial_theta">Optional start point in the stacked layout <c>[vec(W); b]</c> of K rows.</param>
    /// <param name="polynomial">The polynomial expansion that made <paramref name="train_rows"/>, or null.</param>
    internal static FittedModel fit(Dataset train, Dataset train_rows, Dataset? test_rows, StandardScaler? scaler, TrainingOptions options,
        Action<IterationRecord>? on_iteration, CancellationToken cancellation, double[]? initial_theta, PolynomialFeatures? polynomial)
    {
        int K = train.n_classes;
        int d = train_rows.n_features;
        var module = new OneVsRest(d, K, options.dtype);
        try
        {
            double[] theta = initial_theta ?? new double[module.n_parameters];
            if (theta.Length != module.n_parameters)
                throw new ArgumentException($"The warm-start model has {theta.Length} parameters; this problem needs {module.n_parameters}. Warm-start from a model trained on the same features and classes.");
            theta = (double[])theta.Clone();
            var results = new List<TrainingResult>(K);
            using var scope = NewDisposeScope();
            var x = train_rows.features_tensor(options.dtype);
            var xTest = test_rows?.features_tensor(options.dtype);
            for (int k = 0; k < K; k++)
            {
                using var memberScope = NewDisposeScope();
                int[] yk = binary_labels(train.labels, k);
                double[]? s = member_weights(train, yk, options);
                var sw = s == null ? null : tensor(s, ScalarType.Float64).to_type(options.dtype);
                using var member = new LogisticRegression(d, options.dtype);
                using var objective = Trainer.create_objective(member, x, tensor(yk.Select(v => (long)v).ToArray()), sw, options);
                using var testObjective = xTest is null ? null
                    : new LinearModelObjective(xTest, tensor(binary_labels(test_rows!.labels, k).Select(v => (long)v).ToArray()), 1, Penalty.none);
                double[] start = theta.AsSpan(k * d, d).ToArray().Append(theta[K * d + k]).ToArray();
                var result = TrainingLoop.run(objective, SolverRegistry.create(options.solver_settings, options.penalty, train_rows.n_features), start, options.max_iter, options.tol,
                    testObjective == null ? null : testObjective.value, on_iteration, cancellation);
                Array.Copy(result.theta, 0, theta, k * d, d);
                theta[K * d + k] = result.theta[d];
                results.Add(result);
            }
            module.vector_to_parameters(theta);
            return new FittedModel(module, train.classes, train.feature_names, scaler, options, combine(results, theta), polynomial, results);
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
    public static TrainingResult combine(IReadOnlyList<TrainingResult> members, double[] theta)
    {
        if (members.Count == 0) throw new ArgumentException("One-vs-rest needs at least one member result.");
        var iterations = members.SelectMany(r => r.history.Select(h => h.iteration)).Distinct().Order().ToList();
        var next = new int[members.Count];
        var history = new List<IterationRecord>(iterations.Count);
        foreach (int t in iterations)
        {
            var current = new IterationRecord[members.Count];
            for (int k = 0; k < members.Count; k++)
            {
                var h = members[k].history;
                while (next[k] + 1 < h.Count && h[next[k] + 1].iteration <= t) next[k]++;
                current[k] = h[next[k]];
            }
            history.Add(new IterationRecord(t, current.Sum(r => r.objective), current.Max(r => r.criterion),
                current.Sum(r => r.function_evaluations), current.Sum(r => r.seconds),
                current.All(r => r.test_loss.HasValue) ? current.Sum(r => r.test_loss!.Value) : null));
        }
        int stride = 1;
        while (history.Count / stride > TrainingLoop.max_history) stride *= 2;
        if (stride > 1) history = history.Where((_, i) => i % stride == 0 || i == history.Count - 1).ToList();

        var notConverged = Enumerable.Range(0, members.Count).Where(k => !members[k].converged).ToList();
        var diverged = members.FirstOrDefault(r => r.stop == StopReason.Diverged);
        if (diverged != null)
        {
            return new TrainingResult(diverged.solver, theta, double.NaN, double.NaN, diverged.iterations, false, StopReason.Diverged, diverged.stop_reason,
                members.Sum(r => r.function_evaluations), members.Sum(r => r.fit_seconds), history);
        }
        var stop = notConverged.Count == 0 ? StopReason.Converged
            : notConverged.Any(k => members[k].stop == StopReason.MaxIterations) ? StopReason.MaxIterations : StopReason.Stalled;
        string reason = notConverged.Count == 0
            ? $"converged: all {members.Count} members (largest criterion {members.Max(r => r.criterion):g3})"
            : $"{notConverged.Count} of {members.Count} members did not converge: " + string.Join("; ", notConverged.Select(k => $"member {k}: {members[k].stop_reason}"));
        return new TrainingResult(members[0].solver, theta, members.Sum(r => r.objective), members.Max(r => r.criterion),
            members.Max(r => r.iterations), notConverged.Count == 0, stop, reason, members.Sum(r => r.function_evaluations),
            members.Sum(r => r.fit_seconds), history);
    }

    private static int[] binary_labels(int[] labels, int k) => labels.Select(y => y == k ? 1 : 0).ToArray();

    /// <summary>The member's sᵢ: sample weight times its class weight (see the class summary), or null for all ones.</summary>
    private static double[]? member_weights(Dataset train, int[] yk, TrainingOptions options) =>
        options.class_weight == ClassWeightMode.Balanced
            ? SampleWeights.combine(yk, train.sample_weight, SampleWeights.balanced(yk, 2))
            : SampleWeights.combine(train.labels, train.sample_weight, Trainer.class_weights(train, options));
}
