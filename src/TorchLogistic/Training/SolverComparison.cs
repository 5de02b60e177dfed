using System.Globalization;
using System.Text;
using TorchLogistic.Data;
using TorchLogistic.Objectives;
using TorchLogistic.Optim;
using static TorchSharp.torch;

namespace TorchLogistic.Training;

/// <summary>
/// Runs several solvers on one problem — all rows, the same objective, the same start (zeros), tolerance and
/// iteration limit — and tabulates iterations, evaluations, time, final objective and distance to the best
/// solution. Behind <c>torchlogistic compare-solvers</c> and the README's solver table.
/// </summary>
public static class SolverComparison
{
    /// <summary>One solver's run.</summary>
    /// <param name="solver">The solver (its name: <see cref="SolverRegistry.name_of"/>).</param>
    /// <param name="iterations">Iterations performed.</param>
    /// <param name="function_evaluations">Evaluations of f and ∇f (for sgd: passes over the data).</param>
    /// <param name="hessian_evaluations">Full Hessians (newton) or Hessian-vector products (newton-cg).</param>
    /// <param name="seconds">Wall time of the loop.</param>
    /// <param name="objective">Final F(θ).</param>
    /// <param name="criterion">Final convergence measure.</param>
    /// <param name="converged">Whether the criterion reached the tolerance.</param>
    /// <param name="stop_reason">Why it stopped.</param>
    /// <param name="theta">Final θ, without its components along the objective's flat directions (softmax's common shifts).</param>
    /// <param name="error">The divergence message (<see cref="TrainingResult.divergence_message"/>) when the solver diverged, else null.</param>
    /// <param name="history">The run's iteration records (for convergence charts); empty when it diverged.</param>
    public sealed record Row(SolverKind solver, int iterations, int function_evaluations, int hessian_evaluations, double seconds,
        double objective, double criterion, bool converged, string stop_reason, double[] theta, string? error = null,
        IReadOnlyList<IterationRecord>? history = null);

    /// <summary>Runs <paramref name="solvers"/> on all rows of <paramref name="data"/> with <paramref name="options"/> (whose solver is ignored).</summary>
    /// <param name="data">The rows (raw features; expanded and standardised as the options say).</param>
    /// <param name="options">Model, penalty, C, tolerance, limits, learning rate, batch size, seed, expansion, scaling.</param>
    /// <param name="solvers">The solvers, run in this order.</param>
    /// <param name="learning_rate">Optional solver → step size (e.g. <see cref="SolverDefaults.learning_rate_for"/>); null uses the options' lr for every solver.</param>
    public static IReadOnlyList<Row> run(Dataset data, TrainingOptions options, IEnumerable<SolverKind> solvers, Func<SolverKind, double>? learning_rate = null)
    {
        var polynomial = options.poly_degree > 1 ? new PolynomialFeatures(data.n_features, options.poly_degree) : null;
        var rows = polynomial?.transform(data) ?? data;
        if (options.standardize) rows = StandardScaler.fit(rows).transform(rows);
        double[]? classWeight = options.class_weight switch
        {
            ClassWeightMode.Balanced => SampleWeights.balanced(data.labels, data.n_classes),
            ClassWeightMode.Explicit => options.class_weight_values,
            _ => null,
        };
        double[]? s = SampleWeights.combine(data.labels, data.sample_weight, classWeight);
        int k = options.model == ModelKind.Logistic ? 1 : data.n_classes;

        using var scope = NewDisposeScope();
        var x = rows.features_tensor(options.dtype);
        var y = rows.labels_tensor();
        var sw = s == null ? null : tensor(s, ScalarType.Float64).to_type(options.dtype);
        var results = new List<Row>();
        foreach (var name in solvers)
        {
            var solverOptions = options with { solver = name, lr = learning_rate?.Invoke(name) ?? options.lr };
            solverOptions.validate();
            using var objective = new LinearModelObjective(x, y, k, solverOptions.penalty_object, sw);
            var solver = SolverRegistry.create(solverOptions.solver_settings, solverOptions.penalty, x.shape[1]);
            var theta0 = new double[objective.n_parameters];
            var r = TrainingLoop.run(objective, solver, theta0, options.max_iter, options.tol);
            if (r.stop == StopReason.Diverged)
            {
                results.Add(new Row(name, r.iterations, solver.function_evaluations, solver.hessian_evaluations, double.NaN, double.NaN,
                    double.NaN, false, "diverged", theta0, r.divergence_message,
                    Array.Empty<IterationRecord>()));
                continue;
            }
            // Softmax's intercepts (and, without L2, coefficients) are defined up to a common shift: compare without it.
            var canonical = (double[])r.theta.Clone();
            NullSpace.project_out(canonical, objective.null_directions);
            results.Add(new Row(name, r.iterations, r.function_evaluations, solver.hessian_evaluations, r.fit_seconds, r.objective,
                r.criterion, r.converged, r.stop_reason, canonical, history: r.history));
        }
        return results;
    }

    /// <summary>
    /// A Markdown table of <paramref name="rows"/>: solver, iterations, evaluations, Hessians/Hv products, seconds,
    /// final objective, criterion, converged, and the relative distance <c>‖θ − θ*‖∞/‖θ*‖∞</c> to the solution
    /// θ* of the converged run with the smallest criterion.
    /// </summary>
    public static string to_markdown(IReadOnlyList<Row> rows)
    {
        var best = rows.Where(r => r.converged).OrderBy(r => r.criterion).FirstOrDefault() ?? rows.Where(r => r.error == null).OrderBy(r => r.criterion).FirstOrDefault();
        var text = new StringBuilder();
        text.AppendLine("| solver | iterations | f/∇f evaluations | Hessians or Hv | seconds | final objective | criterion | converged | ‖θ − θ*‖∞/‖θ*‖∞ |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---|---:|");
        foreach (var r in rows)
        {
            string distance = best == null || r.error != null ? "—" : relative_distance(r.theta, best.theta).ToString("0.0e+0", CultureInfo.InvariantCulture);
            string hessians = r.hessian_evaluations == 0 ? "—" : r.hessian_evaluations.ToString(CultureInfo.InvariantCulture);
            text.AppendLine(r.error != null
                ? $"| {SolverRegistry.name_of(r.solver)} | {r.iterations} | {r.function_evaluations} | {hessians} | — | diverged | — | no | — |"
                : string.Create(CultureInfo.InvariantCulture,
                    $"| {SolverRegistry.name_of(r.solver)} | {r.iterations} | {r.function_evaluations} | {hessians} | {r.seconds:0.000} | {r.objective:0.000000000000000} | {r.criterion:0.0e+0} | {(r.converged ? "yes" : "no")} | {distance} |"));
        }
        return text.ToString();
    }

    /// <summary>‖a − b‖∞ / ‖b‖∞.</summary>
    public static double relative_distance(double[] a, double[] b)
    {
        double num = 0, den = 0;
        for (int i = 0; i < b.Length; i++)
        {
            num = Math.Max(num, Math.Abs(a[i] - b[i]));
            den = Math.Max(den, Math.Abs(b[i]));
        }
        return num / Math.Max(den, double.Epsilon);
    }
}
