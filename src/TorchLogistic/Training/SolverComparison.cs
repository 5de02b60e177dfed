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
    /// <param name="Solver">The solver (its name: <see cref="SolverRegistry.NameOf"/>).</param>
    /// <param name="Iterations">Iterations performed.</param>
    /// <param name="FunctionEvaluations">Evaluations of f and ∇f (for sgd: passes over the data).</param>
    /// <param name="HessianEvaluations">Full Hessians (newton) or Hessian-vector products (newton-cg).</param>
    /// <param name="Seconds">Wall time of the loop.</param>
    /// <param name="Objective">Final F(θ).</param>
    /// <param name="Criterion">Final convergence measure.</param>
    /// <param name="Converged">Whether the criterion reached the tolerance.</param>
    /// <param name="StopDescription">Why it stopped.</param>
    /// <param name="Theta">Final θ, without its components along the objective's flat directions (softmax's common shifts).</param>
    /// <param name="Error">The divergence message (<see cref="TrainingResult.DivergenceMessage"/>) when the solver diverged, else null.</param>
    /// <param name="History">The run's iteration records (for convergence charts); empty when it diverged.</param>
    public sealed record Row(SolverKind Solver, int Iterations, int FunctionEvaluations, int HessianEvaluations, double Seconds,
        double Objective, double Criterion, bool Converged, string StopDescription, double[] Theta, string? Error = null,
        IReadOnlyList<IterationRecord>? History = null);

    /// <summary>Runs <paramref name="solvers"/> on all rows of <paramref name="data"/> with <paramref name="options"/> (whose solver is ignored).</summary>
    /// <param name="data">The rows (raw features; expanded and standardised as the options say).</param>
    /// <param name="options">Model, penalty, C, tolerance, limits, learning rate, batch size, seed, expansion, scaling.</param>
    /// <param name="solvers">The solvers, run in this order.</param>
    /// <param name="learningRate">Optional solver → step size (e.g. <see cref="SolverDefaults.LearningRateFor"/>); null uses the options' lr for every solver.</param>
    public static IReadOnlyList<Row> Run(Dataset data, TrainingOptions options, IEnumerable<SolverKind> solvers, Func<SolverKind, double>? learningRate = null)
    {
        var polynomial = options.PolynomialDegree > 1 ? new PolynomialFeatures(data.FeatureCount, options.PolynomialDegree) : null;
        var rows = polynomial?.Transform(data) ?? data;
        if (options.Standardize) rows = StandardScaler.Fit(rows).Transform(rows);
        double[]? classWeight = options.ClassWeight switch
        {
            ClassWeightMode.Balanced => SampleWeights.Balanced(data.Labels, data.ClassCount),
            ClassWeightMode.Explicit => options.ClassWeightValues,
            _ => null,
        };
        double[]? s = SampleWeights.Combine(data.Labels, data.SampleWeight, classWeight);
        int k = options.Model == ModelKind.Logistic ? 1 : data.ClassCount;

        using var scope = NewDisposeScope();
        var x = rows.FeaturesTensor(options.DType);
        var y = rows.LabelsTensor();
        var sw = s == null ? null : tensor(s, ScalarType.Float64).to_type(options.DType);
        var results = new List<Row>();
        foreach (var name in solvers)
        {
            var solverOptions = options with { Solver = name, LearningRate = learningRate?.Invoke(name) ?? options.LearningRate };
            solverOptions.Validate();
            using var objective = new LinearModelObjective(x, y, k, solverOptions.PenaltyObject, sw, fitIntercept: options.FitIntercept);
            var solver = SolverRegistry.Create(solverOptions.SolverSettings, solverOptions.Penalty, x.shape[1]);
            var theta0 = new double[objective.ParameterCount];
            var r = TrainingLoop.Run(objective, solver, theta0, options.MaxIterations, options.Tolerance);
            if (r.Stop == StopReason.Diverged)
            {
                results.Add(new Row(name, r.Iterations, solver.FunctionEvaluations, solver.HessianEvaluations, double.NaN, double.NaN,
                    double.NaN, false, "diverged", theta0, r.DivergenceMessage,
                    Array.Empty<IterationRecord>()));
                continue;
            }
            // Softmax's intercepts (and, without L2, coefficients) are defined up to a common shift: compare without it.
            var canonical = (double[])r.Theta.Clone();
            NullSpace.ProjectOut(canonical, objective.NullDirections);
            results.Add(new Row(name, r.Iterations, r.FunctionEvaluations, solver.HessianEvaluations, r.FitSeconds, r.Objective,
                r.Criterion, r.Converged, r.StopDescription, canonical, History: r.History));
        }
        return results;
    }

    /// <summary>
    /// A Markdown table of <paramref name="rows"/>: solver, iterations, evaluations, Hessians/Hv products, seconds,
    /// final objective, criterion, converged, and the relative distance <c>‖θ − θ*‖∞/‖θ*‖∞</c> to the solution
    /// θ* of the converged run with the smallest criterion.
    /// </summary>
    public static string ToMarkdown(IReadOnlyList<Row> rows)
    {
        var best = rows.Where(r => r.Converged).OrderBy(r => r.Criterion).FirstOrDefault() ?? rows.Where(r => r.Error == null).OrderBy(r => r.Criterion).FirstOrDefault();
        var text = new StringBuilder();
        text.AppendLine("| solver | iterations | f/∇f evaluations | Hessians or Hv | seconds | final objective | criterion | converged | ‖θ − θ*‖∞/‖θ*‖∞ |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---|---:|");
        foreach (var r in rows)
        {
            string distance = best == null || r.Error != null ? "—" : RelativeDistance(r.Theta, best.Theta).ToString("0.0e+0", CultureInfo.InvariantCulture);
            string hessians = r.HessianEvaluations == 0 ? "—" : r.HessianEvaluations.ToString(CultureInfo.InvariantCulture);
            text.AppendLine(r.Error != null
                ? $"| {SolverRegistry.NameOf(r.Solver)} | {r.Iterations} | {r.FunctionEvaluations} | {hessians} | — | diverged | — | no | — |"
                : string.Create(CultureInfo.InvariantCulture,
                    $"| {SolverRegistry.NameOf(r.Solver)} | {r.Iterations} | {r.FunctionEvaluations} | {hessians} | {r.Seconds:0.000} | {r.Objective:0.000000000000000} | {r.Criterion:0.0e+0} | {(r.Converged ? "yes" : "no")} | {distance} |"));
        }
        return text.ToString();
    }

    /// <summary>‖a − b‖∞ / ‖b‖∞.</summary>
    public static double RelativeDistance(double[] a, double[] b)
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
