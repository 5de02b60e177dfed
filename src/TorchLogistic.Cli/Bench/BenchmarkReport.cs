using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace TorchLogistic.Performance;

/// <summary>
/// Everything <c>torchlogistic bench</c> measured on one problem — the optimum and its re-evaluation, the machine
/// floor, one run per solver, the analytic-versus-autograd evaluation and scikit-learn's run — with the table, the
/// checks against the performance targets and the JSON record made from them. Ratios only compare numbers measured in
/// the same run.
/// </summary>
/// <param name="problem">The problem.</param>
/// <param name="dtype">Compute dtype of the solver runs and the floor.</param>
/// <param name="optimum">The cached optimum, or null when the run needed none (no solvers, no peer).</param>
/// <param name="optimum_reevaluated">F and ‖∇F‖∞ at the cached θ*, evaluated in this run (float64), or null likewise.</param>
/// <param name="floor">The machine floor measured in this run.</param>
/// <param name="runs">One run per solver.</param>
/// <param name="gradients">The analytic-versus-autograd evaluation, or null when skipped.</param>
/// <param name="peer">scikit-learn's run, or null when skipped.</param>
/// <param name="peer_skipped">Why scikit-learn was not run, or null.</param>
/// <param name="peer_objective_ours">TorchLogistic's F (float64) at scikit-learn's final point, or null.</param>
public sealed record BenchmarkReport(BenchmarkProblem problem, ScalarType dtype, Optimum? optimum, (double Objective, double GradientInfNorm)? optimum_reevaluated,
    MachineFloor floor, IReadOnlyList<SolverBenchmarkResult> runs, GradientPathBenchmark? gradients, ScikitLearnPeerResult? peer,
    string? peer_skipped, double? peer_objective_ours)
{
    /// <summary>The relative distance to F* that counts as reaching the optimum: 1e-6.</summary>
    public const double relative_target = 1e-6;

    /// <summary>The floor of one evaluation on this problem, milliseconds.</summary>
    public double floor_ms => floor.floor_ms(problem.n_samples, problem.n_features, problem.n_outputs);

    /// <summary>The run that reached the target first, or null when none did.</summary>
    public SolverBenchmarkResult? fastest => runs.Where(r => r.reached).OrderBy(r => r.seconds_to_target).FirstOrDefault();

    /// <summary>scikit-learn's time to the target over ours (the fastest solver's); a lower bound (cap/ours) when scikit-learn missed it.</summary>
    public double? peer_speedup => peer == null || fastest == null ? null
        : (peer.seconds_to_target ?? Math.Max(peer.seconds, peer.cap_seconds)) / fastest.seconds_to_target!.Value;

    /// <summary>The floor line: bandwidth, GEMM rate, and the floor of one evaluation with the term that sets it.</summary>
    public string floor_line() => FormattableString.Invariant(
        $"floor: {floor}; one evaluation ≥ max(2·{MachineFloor.format_bytes(floor.x_bytes)} / bandwidth, 4·{problem.n_samples}·{problem.n_features}·{problem.n_outputs} FLOP / GEMM rate) = {floor_ms:G3} ms ({(floor.bandwidth_bound(problem.n_samples, problem.n_features, problem.n_outputs) ? "bandwidth" : "compute")} bound)");

    /// <summary>The optimum line: the certificate and its re-evaluation in this run, and the target.</summary>
    public string optimum_line() => optimum is null || optimum_reevaluated is not var (f, g) ? "optimum: not needed in this run" : FormattableString.Invariant(
        $"optimum: {optimum.certificate()}; re-evaluated now at the cached θ*: F = {f:F15}, ‖∇F‖∞ = {g:0.0e+0}; target F ≤ F*·(1 + {relative_target:0e+0}) = {optimum.target(relative_target):F15}");

    /// <summary>The solver table (Markdown): one row per solver.</summary>
    public string table()
    {
        double fstar = optimum?.objective ?? double.NaN;
        var text = new StringBuilder();
        text.AppendLine("| solver | dtype | evaluations | Hv products | iterations | ms/eval | ÷ floor | time to target (s) | (F − F*)/F* at end | peak MB (+ during run) | threads |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in runs)
        {
            string time = r.reached
                ? r.seconds_to_target!.Value.ToString("0.000", CultureInfo.InvariantCulture)
                : string.Create(CultureInfo.InvariantCulture, $"not reached ({r.stop_reason}, {r.timed_seconds:0.0} s)");
            string peak = r.peak_bytes is long p
                ? string.Create(CultureInfo.InvariantCulture, $"{p / 1e6:0} (+{Math.Max(0, p - (r.baseline_bytes ?? p)) / 1e6:0})")
                : "—";
            string hv = r.hessian_products == 0 ? "—" : r.hessian_products.ToString(CultureInfo.InvariantCulture);
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {Optim.SolverRegistry.name_of(r.solver)} | {r.dtype.ToString().ToLowerInvariant()} | {r.evaluations} | {hv} | {r.iterations} | {r.ms_per_evaluation:0.000} | {r.ms_per_evaluation / floor_ms:0.00} | {time} | {(r.final_objective - fstar) / Math.Abs(fstar):0.0e+0} | {peak} | {r.threads} |"));
        }
        return text.ToString();
    }

    /// <summary>The scikit-learn line with the speed-up, or why it was skipped.</summary>
    public string peer_line()
    {
        if (peer == null || optimum == null) return $"scikit-learn: skipped ({peer_skipped ?? "not requested"})";
        string ours = fastest == null ? "no TorchLogistic solver reached the target" : FormattableString.Invariant($"ours ({Optim.SolverRegistry.name_of(fastest.solver)}) {fastest.seconds_to_target:0.000} s");
        string theirs = peer.reached
            ? FormattableString.Invariant($"reached the target in {peer.seconds_to_target:0.000} s ({peer.evaluations} evaluations, {peer.iterations} iterations)")
            : FormattableString.Invariant($"did not reach the target ({peer.stop}) after {peer.seconds:0.0} s ({peer.evaluations} evaluations, {peer.iterations} iterations, F − F* = {(peer.objective - optimum.objective) / Math.Abs(optimum.objective):0.0e+0} relative)");
        string ratio = peer_speedup is double s ? FormattableString.Invariant($" → speed-up {(peer.reached ? "" : "≥ ")}{s:0.0}×") : "";
        string check = peer_objective_ours is double f
            ? FormattableString.Invariant($"; its objective {peer.objective:F15} = ours at its point {f:F15} (|Δ|/F {Math.Abs(peer.objective - f) / Math.Abs(f):0.0e+0}), at 0: {peer.objective_at_zero:F15} (log K = {peer.objective_at_zero_expected:F15})")
            : "";
        return $"scikit-learn {peer.sklearn_version} lbfgs (BLAS threads: {peer.blas_threads}): {theirs}; {ours}{ratio}{check}";
    }

    /// <summary>The performance targets for Fashion-MNIST softmax at C = 1, checked on this run.</summary>
    public IReadOnlyList<BenchmarkTarget> targets()
    {
        var list = new List<BenchmarkTarget>();
        string speedName = FormattableString.Invariant($"time to (1 + 1e-6)·F* ≥ {BenchmarkTarget.peer_speedup:G}× shorter than scikit-learn lbfgs");
        if (peer_speedup is double s)
            list.Add(new BenchmarkTarget(speedName, s >= BenchmarkTarget.peer_speedup, FormattableString.Invariant($"{(peer!.reached ? "" : "≥ ")}{s:0.0}× ({Optim.SolverRegistry.name_of(fastest!.solver)})")));
        else
            list.Add(new BenchmarkTarget(speedName, peer != null ? false : null, peer == null ? $"scikit-learn not run ({peer_skipped ?? "not requested"})" : "no TorchLogistic solver reached the target"));

        var judged = fastest ?? runs.OrderBy(r => r.ms_per_evaluation).FirstOrDefault();
        string floorName = FormattableString.Invariant($"milliseconds per evaluation ≤ {BenchmarkTarget.floor_ratio:G}× the floor ({floor_ms:G3} ms)");
        list.Add(judged == null
            ? new BenchmarkTarget(floorName, null, "no solver run")
            : new BenchmarkTarget(floorName, judged.ms_per_evaluation <= BenchmarkTarget.floor_ratio * floor_ms,
                FormattableString.Invariant($"{judged.ms_per_evaluation:0.000} ms = {judged.ms_per_evaluation / floor_ms:0.00}× ({Optim.SolverRegistry.name_of(judged.solver)})")));

        string gradientName = FormattableString.Invariant($"analytic evaluation ≥ {BenchmarkTarget.autograd_speedup:G}× faster than autograd, same result");
        list.Add(gradients == null
            ? new BenchmarkTarget(gradientName, null, "not measured")
            : new BenchmarkTarget(gradientName, gradients.speedup >= BenchmarkTarget.autograd_speedup && gradients.same_result,
                FormattableString.Invariant($"{gradients.speedup:0.00}×, {(gradients.same_result ? "same" : "DIFFERENT")} result within {gradients.same_result_rtol:0e+0} relative")));
        return list;
    }

    /// <summary>Everything above as JSON (numbers unrounded; θ left out).</summary>
    public JsonObject to_json()
    {
        var json = new JsonObject
        {
            ["problem"] = problem.name,
            ["description"] = problem.describe(),
            ["n_samples"] = problem.n_samples,
            ["n_features"] = problem.n_features,
            ["n_outputs"] = problem.n_outputs,
            ["C"] = problem.penalty.C,
            ["dtype"] = dtype.ToString().ToLowerInvariant(),
            ["data_sha256"] = problem.data_sha256,
            ["optimum"] = optimum == null ? null : new JsonObject
            {
                ["objective"] = optimum.objective,
                ["solver"] = Optim.SolverRegistry.name_of(optimum.solver),
                ["tol"] = optimum.tol,
                ["gradient_inf_norm"] = optimum.gradient_inf_norm,
                ["iterations"] = optimum.iterations,
                ["start"] = optimum.start,
                ["reevaluated_objective"] = optimum_reevaluated?.Objective,
                ["reevaluated_gradient_inf_norm"] = optimum_reevaluated?.GradientInfNorm,
                ["target"] = optimum.target(relative_target),
            },
            ["floor"] = new JsonObject
            {
                ["x_bytes"] = floor.x_bytes,
                ["bandwidth_bytes_per_second"] = floor.bandwidth,
                ["gemm_size"] = floor.gemm_size,
                ["gemm_flops_per_second"] = floor.flop_rate,
                ["threads"] = floor.threads,
                ["floor_ms"] = floor_ms,
            },
            ["solvers"] = new JsonArray(runs.Select(r => (JsonNode)new JsonObject
            {
                ["solver"] = Optim.SolverRegistry.name_of(r.solver),
                ["dtype"] = r.dtype.ToString().ToLowerInvariant(),
                ["reached"] = r.reached,
                ["evaluations"] = r.evaluations,
                ["hessian_products"] = r.hessian_products,
                ["iterations"] = r.iterations,
                ["timed_seconds"] = r.timed_seconds,
                ["seconds_to_target"] = r.seconds_to_target,
                ["ms_per_evaluation"] = r.ms_per_evaluation,
                ["ms_per_evaluation_over_floor"] = r.ms_per_evaluation / floor_ms,
                ["final_objective"] = r.final_objective,
                ["float64_checks"] = r.float64_checks,
                ["peak_bytes"] = r.peak_bytes,
                ["baseline_bytes"] = r.baseline_bytes,
                ["threads"] = r.threads,
                ["stop_reason"] = r.stop_reason,
            }).ToArray()),
        };
        if (gradients != null)
        {
            json["gradient_paths"] = new JsonObject
            {
                ["dtype"] = gradients.dtype.ToString().ToLowerInvariant(),
                ["repeats"] = gradients.repeats,
                ["analytic_ms"] = gradients.analytic_ms,
                ["autograd_ms"] = gradients.autograd_ms,
                ["speedup"] = gradients.speedup,
                ["value"] = gradients.value,
                ["value_difference"] = gradients.value_difference,
                ["gradient_difference"] = gradients.gradient_difference,
                ["gradient_scale"] = gradients.gradient_scale,
                ["same_result"] = gradients.same_result,
                ["threads"] = gradients.threads,
            };
        }
        json["sklearn"] = peer == null
            ? new JsonObject { ["skipped"] = peer_skipped ?? "not requested" }
            : new JsonObject
            {
                ["version"] = peer.sklearn_version,
                ["reached"] = peer.reached,
                ["stop"] = peer.stop,
                ["seconds_to_target"] = peer.seconds_to_target,
                ["seconds"] = peer.seconds,
                ["cap_seconds"] = peer.cap_seconds,
                ["evaluations"] = peer.evaluations,
                ["iterations"] = peer.iterations,
                ["objective"] = peer.objective,
                ["objective_numpy"] = peer.objective_numpy,
                ["objective_ours_at_its_point"] = peer_objective_ours,
                ["objective_at_zero"] = peer.objective_at_zero,
                ["objective_at_zero_expected"] = peer.objective_at_zero_expected,
                ["blas_threads"] = peer.blas_threads,
                ["speedup"] = peer_speedup,
                ["speedup_is_lower_bound"] = !peer.reached,
            };
        json["targets"] = new JsonArray(targets().Select(t => (JsonNode)new JsonObject
        {
            ["target"] = t.name,
            ["verdict"] = t.verdict,
            ["measured"] = t.measured,
        }).ToArray());
        return json;
    }
}
