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
/// <param name="Problem">The problem.</param>
/// <param name="DType">Compute dtype of the solver runs and the floor.</param>
/// <param name="Optimum">The cached optimum, or null when the run needed none (no solvers, no peer).</param>
/// <param name="OptimumReevaluated">F and ‖∇F‖∞ at the cached θ*, evaluated in this run (float64), or null likewise.</param>
/// <param name="Floor">The machine floor measured in this run.</param>
/// <param name="Runs">One run per solver.</param>
/// <param name="Gradients">The analytic-versus-autograd evaluation, or null when skipped.</param>
/// <param name="Peer">scikit-learn's run, or null when skipped.</param>
/// <param name="PeerSkipped">Why scikit-learn was not run, or null.</param>
/// <param name="PeerObjectiveOurs">TorchLogistic's F (float64) at scikit-learn's final point, or null.</param>
/// <param name="Liblinear">The LIBLINEAR peer's runs (binary problems without intercept), or null.</param>
public sealed record BenchmarkReport(BenchmarkProblem Problem, ScalarType DType, Optimum? Optimum, (double Objective, double GradientInfNorm)? OptimumReevaluated,
    MachineFloor Floor, IReadOnlyList<SolverBenchmarkResult> Runs, GradientPathBenchmark? Gradients, ScikitLearnPeerResult? Peer,
    string? PeerSkipped, double? PeerObjectiveOurs, LiblinearPeerResult? Liblinear = null)
{
    /// <summary>Largest ratio of our time to the target to LIBLINEAR's (reading excluded for both): ⅓ (issue 20).</summary>
    public const double LiblinearRatio = 1.0 / 3;

    /// <summary>The LIBLINEAR line: the file, its reading, each timed run's steps, F and time to the target, the read-only cross-check, and the ratio to ours.</summary>
    public string LiblinearLine()
    {
        if (Liblinear is not { } l) return "LIBLINEAR: not run";
        double fstar = Optimum?.Objective ?? double.NaN;
        var text = new StringBuilder(FormattableString.Invariant(
            $"LIBLINEAR -s 0 -B -1 (1 thread): LIBSVM file {MachineFloor.FormatBytes(l.FileBytes)} (written by us in {l.WriteSeconds:0.0} s); ours (LibSvmFile.Load) read it in {l.OurReadSeconds ?? double.NaN:0.00} s; our solvers get the rows in memory"));
        foreach (var r in l.Runs)
        {
            var within = r.FirstWithin(l.Target);
            double readEnd = l.ReadEnd(r);
            text.Append(FormattableString.Invariant(
                $"; timed run -e {r.Epsilon:0.##e+0} (stdout stamped as it arrives): read {readEnd:0.00} s ({(r.ObservedReadSeconds == null ? "NOT observed: the read-only runs' mean" : "until it closed the file")}), then {r.NewtonSteps} Newton steps / {r.Iterations.Count} trial steps / {r.CgSteps} CG in {l.SolveSeconds(r):0.00} s to its exit, final (F − F*)/F* = {(r.Objective - fstar) / Math.Abs(fstar):0.0e+0}"));
            text.Append(within == null ? "; not within the target"
                : FormattableString.Invariant($"; within (1 + 1e-6)·F* after trial step {r.Iterations.ToList().IndexOf(within) + 1} (iter {within.Step.Number}, (F − F*)/F* = {(within.ObjectiveAfter - fstar) / Math.Abs(fstar):0.00e+0}) at {within.Step.Seconds - readEnd:0.000} s after reading"));
            text.Append(FormattableString.Invariant($"; F rebuilt from the final model and the printed decreases: F(0) off ln 2 by {r.StartError ?? double.NaN:0.0e+0}, printed f off by ≤ {r.PrintedFError:0.0e+0} (4 digits)"));
            text.Append(FormattableString.Invariant($"; cross-check, read-only runs (-e 1e9 wall) {l.ReadOnlySeconds.First:0.00} s and {l.ReadOnlySeconds.Second:0.00} s (their own reading observed {l.ReadOnlyObserved.First ?? double.NaN:0.00} s, {l.ReadOnlyObserved.Second ?? double.NaN:0.00} s): wall − their mean = {l.SubtractedSolveSeconds(r):0.00} s for the whole solve (timed: {l.SolveSeconds(r):0.00} s)"));
        }
        if (l.SecondsToTarget is double t && Fastest?.SecondsToTarget is double ours)
        {
            text.Append(FormattableString.Invariant($" → ours ({Optim.SolverRegistry.NameOf(Fastest.Solver)}) {ours:0.000} s = {ours / t:0.00}× LIBLINEAR's {t:0.000} s"));
            if (FastestAfterLiblinear is { } again)
                text.Append(again.SecondsToTarget is double after
                    ? FormattableString.Invariant($"; ours again right after LIBLINEAR {after:0.000} s ({again.DataPasses:0.#} passes) = {after / t:0.00}×; bracket mean {OursAroundLiblinear:0.000} s = {OursAroundLiblinear / t:0.00}× (the ratio judged)")
                    : "; ours again right after LIBLINEAR: did not reach the target");
        }
        return text.ToString();
    }

    /// <summary>
    /// The fastest solver timed once more right after LIBLINEAR's run (same problem, target and settings), or null: on a
    /// shared machine the load drifts between two runs seconds apart, so LIBLINEAR's time is compared with the mean of
    /// ours before and after it (<see cref="OursAroundLiblinear"/>).
    /// </summary>
    public SolverBenchmarkResult? FastestAfterLiblinear { get; init; }

    /// <summary>Our time to the target judged against LIBLINEAR's: the mean of the runs before and after it when both reached it, else the first.</summary>
    public double? OursAroundLiblinear => Fastest?.SecondsToTarget is double before
        ? (FastestAfterLiblinear?.SecondsToTarget is double after ? (before + after) / 2 : before)
        : null;

    /// <summary>The relative distance to F* that counts as reaching the optimum: 1e-6.</summary>
    public const double RelativeTarget = 1e-6;

    /// <summary>The floor of one evaluation on this problem, milliseconds.</summary>
    /// <remarks>
    /// Dense: <see cref="MachineFloor.FloorMs(long, long, long)"/> (X read twice). Sparse: one read of the CSR values
    /// and column indices, 12 bytes per non-zero, at the measured bandwidth, or 4 FLOP per non-zero at the GEMM rate,
    /// whichever is longer — a fused evaluation reads each row once (its logit, then its share of the gradient).
    /// </remarks>
    public double FloorMs => Problem.Sparse is not null
        ? 1000 * Math.Max(SparseFloorBytes / Floor.Bandwidth, 4.0 * Problem.NonZeroCount / Floor.FlopRate)
        : Floor.FloorMs(Problem.SampleCount, Problem.FeatureCount, Problem.OutputCount);

    /// <summary>Bytes of the CSR values and column indices (12 per non-zero): what one pass over a sparse X must read.</summary>
    public long SparseFloorBytes => 12 * Problem.NonZeroCount;

    /// <summary>The run that reached the target first, or null when none did.</summary>
    public SolverBenchmarkResult? Fastest => Runs.Where(r => r.Reached).OrderBy(r => r.SecondsToTarget).FirstOrDefault();

    /// <summary>scikit-learn's time to the target over ours (the fastest solver's); a lower bound (cap/ours) when scikit-learn missed it.</summary>
    public double? PeerSpeedup => Peer == null || Fastest == null ? null
        : (Peer.SecondsToTarget ?? Math.Max(Peer.Seconds, Peer.CapSeconds)) / Fastest.SecondsToTarget!.Value;

    /// <summary>The floor line: bandwidth, GEMM rate, and the floor of one evaluation with the term that sets it.</summary>
    public string FloorLine() => Problem.Sparse is not null ? FormattableString.Invariant(
        $"floor: {Floor}; one evaluation (sparse) ≥ max(12·{Problem.NonZeroCount} B (CSR values + indices, {MachineFloor.FormatBytes(SparseFloorBytes)}) / bandwidth, 4·{Problem.NonZeroCount} FLOP / GEMM rate) = {FloorMs:G3} ms") : FormattableString.Invariant(
        $"floor: {Floor}; one evaluation ≥ max(2·{MachineFloor.FormatBytes(Floor.XBytes)} / bandwidth, 4·{Problem.SampleCount}·{Problem.FeatureCount}·{Problem.OutputCount} FLOP / GEMM rate) = {FloorMs:G3} ms ({(Floor.BandwidthBound(Problem.SampleCount, Problem.FeatureCount, Problem.OutputCount) ? "bandwidth" : "compute")} bound)");

    /// <summary>The optimum line: the certificate and its re-evaluation in this run, and the target.</summary>
    public string OptimumLine() => Optimum is null || OptimumReevaluated is not var (f, g) ? "optimum: not needed in this run" : FormattableString.Invariant(
        $"optimum: {Optimum.Certificate()}; re-evaluated now at the cached θ*: F = {f:F15}, ‖∇F‖∞ = {g:0.0e+0}; target F ≤ F*·(1 + {RelativeTarget:0e+0}) = {Optimum.Target(RelativeTarget):F15}");

    /// <summary>The solver table (Markdown): one row per solver.</summary>
    public string Table()
    {
        double fstar = Optimum?.Objective ?? double.NaN;
        var text = new StringBuilder();
        text.AppendLine("| solver | dtype | evaluations | Hv products | passes | iterations | ms/pass (all) | ÷ floor | ms in a pass | own ms/pass (÷ in a pass) | time to target (s) | floor-evaluations | (F − F*)/F* at end | peak MB (+ during run) | threads |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in Runs)
        {
            string time = r.Reached
                ? r.SecondsToTarget!.Value.ToString("0.000", CultureInfo.InvariantCulture)
                : string.Create(CultureInfo.InvariantCulture, $"not reached ({r.StopDescription}, {r.TimedSeconds:0.0} s)");
            string peak = r.PeakBytes is long p
                ? string.Create(CultureInfo.InvariantCulture, $"{p / 1e6:0} (+{Math.Max(0, p - (r.BaselineBytes ?? p)) / 1e6:0})")
                : "—";
            string hv = r.HessianProducts == 0 ? "—" : r.HessianProducts.ToString(CultureInfo.InvariantCulture);
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {Optim.SolverRegistry.NameOf(r.Solver)} | {r.DType.ToString().ToLowerInvariant()} | {r.Evaluations} | {hv} | {r.DataPasses:0.#} | {r.Iterations} | {r.MsPerEvaluation:0.000} | {r.MsPerEvaluation / FloorMs:0.00} | {r.MsInPass:0.000} | {r.OwnMsPerPass:0.000} ({100 * r.OwnMsPerPass / Math.Max(1e-12, r.MsInPass):0}%) | {time} | {r.FloorEvaluations(FloorMs):0} | {(r.FinalObjective - fstar) / Math.Abs(fstar):0.0e+0} | {peak} | {r.Threads} |"));
        }
        foreach (var r in Runs) text.AppendLine(OwnWorkLine(r));
        return text.ToString();
    }

    /// <summary>
    /// Where a run's own work went, in seconds: refreshing the subspace preconditioner (its basis and H_r), applying a
    /// preconditioner (the Jacobi or bound preconditioners are built on their first application, which counts here), and the rest.
    /// </summary>
    public static string OwnWorkLine(SolverBenchmarkResult r)
    {
        double own = Math.Max(0, r.TimedSeconds - r.PassSeconds);
        string applications = r.Applications == 0 ? "no preconditioner applications"
            : FormattableString.Invariant($"{r.ApplySeconds:0.000} s in {r.Applications} preconditioner applications ({1000 * r.ApplySeconds / r.Applications:0.000} ms each)");
        return FormattableString.Invariant(
            $"own work of {Optim.SolverRegistry.NameOf(r.Solver)}: {own:0.000} s = {r.RefreshSeconds:0.000} s refreshing the subspace preconditioner + {applications} + {r.OtherOwnSeconds:0.000} s the rest (vectors, line search, bookkeeping)");
    }

    /// <summary>The scikit-learn line with the speed-up, or why it was skipped.</summary>
    public string PeerLine()
    {
        if (Peer == null || Optimum == null) return $"scikit-learn: skipped ({PeerSkipped ?? "not requested"})";
        string ours = Fastest == null ? "no TorchLogistic solver reached the target" : FormattableString.Invariant($"ours ({Optim.SolverRegistry.NameOf(Fastest.Solver)}) {Fastest.SecondsToTarget:0.000} s");
        string theirs = Peer.Reached
            ? FormattableString.Invariant($"reached the target in {Peer.SecondsToTarget:0.000} s ({Peer.Evaluations} evaluations, {Peer.Iterations} iterations)")
            : FormattableString.Invariant($"did not reach the target ({Peer.Stop}) after {Peer.Seconds:0.0} s ({Peer.Evaluations} evaluations, {Peer.Iterations} iterations, F − F* = {(Peer.Objective - Optimum.Objective) / Math.Abs(Optimum.Objective):0.0e+0} relative)");
        string ratio = PeerSpeedup is double s ? FormattableString.Invariant($" → speed-up {(Peer.Reached ? "" : "≥ ")}{s:0.0}×") : "";
        string check = PeerObjectiveOurs is double f
            ? FormattableString.Invariant($"; its objective {Peer.Objective:F15} = ours at its point {f:F15} (|Δ|/F {Math.Abs(Peer.Objective - f) / Math.Abs(f):0.0e+0}), at 0: {Peer.ObjectiveAtZero:F15} (log K = {Peer.ObjectiveAtZeroExpected:F15})")
            : "";
        return $"scikit-learn {Peer.SklearnVersion} lbfgs (BLAS threads: {Peer.BlasThreads}): {theirs}; {ours}{ratio}{check}";
    }

    /// <summary>The performance targets for Fashion-MNIST softmax at C = 1, checked on this run.</summary>
    public IReadOnlyList<BenchmarkTarget> Targets()
    {
        var list = new List<BenchmarkTarget>();
        string speedName = FormattableString.Invariant($"time to (1 + 1e-6)·F* ≥ {BenchmarkTarget.PeerSpeedup:G}× shorter than scikit-learn lbfgs");
        if (PeerSpeedup is double s)
            list.Add(new BenchmarkTarget(speedName, s >= BenchmarkTarget.PeerSpeedup, FormattableString.Invariant($"{(Peer!.Reached ? "" : "≥ ")}{s:0.0}× ({Optim.SolverRegistry.NameOf(Fastest!.Solver)})")));
        else
            list.Add(new BenchmarkTarget(speedName, Peer != null ? false : null, Peer == null ? $"scikit-learn not run ({PeerSkipped ?? "not requested"})" : "no TorchLogistic solver reached the target"));

        var judged = Fastest ?? Runs.OrderBy(r => r.MsPerEvaluation).FirstOrDefault();
        string floorName = FormattableString.Invariant($"milliseconds per evaluation ≤ {BenchmarkTarget.FloorRatio:G}× the floor ({FloorMs:G3} ms)");
        list.Add(judged == null
            ? new BenchmarkTarget(floorName, null, "no solver run")
            : new BenchmarkTarget(floorName, judged.MsPerEvaluation <= BenchmarkTarget.FloorRatio * FloorMs,
                FormattableString.Invariant($"{judged.MsPerEvaluation:0.000} ms = {judged.MsPerEvaluation / FloorMs:0.00}× ({Optim.SolverRegistry.NameOf(judged.Solver)})")));

        string passesName = FormattableString.Invariant($"time to (1 + 1e-6)·F* ≤ {BenchmarkTarget.FloorEvaluations:G} floor-evaluations");
        list.Add(Fastest == null
            ? new BenchmarkTarget(passesName, Runs.Count == 0 ? null : false, Runs.Count == 0 ? "no solver run" : "no TorchLogistic solver reached the target")
            : new BenchmarkTarget(passesName, Fastest.FloorEvaluations(FloorMs) <= BenchmarkTarget.FloorEvaluations,
                FormattableString.Invariant($"{Fastest.FloorEvaluations(FloorMs):0} ({Optim.SolverRegistry.NameOf(Fastest.Solver)}: {Fastest.DataPasses:0.#} passes)")));

        string ownName = FormattableString.Invariant($"solver's own work per pass ≤ {100 * BenchmarkTarget.OwnWorkShare:G}% of one analytic evaluation");
        list.Add(judged == null || Gradients == null
            ? new BenchmarkTarget(ownName, null, judged == null ? "no solver run" : "the evaluation was not timed")
            : new BenchmarkTarget(ownName, judged.OwnMsPerPass <= BenchmarkTarget.OwnWorkShare * Gradients.AnalyticMs,
                FormattableString.Invariant($"{judged.OwnMsPerPass:0.000} ms = {100 * judged.OwnMsPerPass / Gradients.AnalyticMs:0}% of {Gradients.AnalyticMs:0.000} ms ({Optim.SolverRegistry.NameOf(judged.Solver)})")));

        if (Liblinear != null)
        {
            string liblinearName = FormattableString.Invariant($"time to (1 + 1e-6)·F* ≤ ⅓ of LIBLINEAR -s 0's (file reading excluded)");
            list.Add(Liblinear.SecondsToTarget is double theirs && OursAroundLiblinear is double ours
                ? new BenchmarkTarget(liblinearName, ours <= LiblinearRatio * theirs, FormattableString.Invariant($"{ours:0.000} s vs {theirs:0.000} s = {ours / theirs:0.00}×{(FastestAfterLiblinear?.SecondsToTarget is null ? "" : " (ours: mean of the runs before and after LIBLINEAR's)")}"))
                : new BenchmarkTarget(liblinearName, false, Liblinear.SecondsToTarget == null ? "LIBLINEAR did not reach the target" : "no TorchLogistic solver reached the target"));
        }

        string gradientName = FormattableString.Invariant($"analytic evaluation ≥ {BenchmarkTarget.AutogradSpeedup:G}× faster than autograd, same result");
        list.Add(Gradients == null
            ? new BenchmarkTarget(gradientName, null, "not measured")
            : new BenchmarkTarget(gradientName, Gradients.Speedup >= BenchmarkTarget.AutogradSpeedup && Gradients.SameResult,
                FormattableString.Invariant($"{Gradients.Speedup:0.00}×, {(Gradients.SameResult ? "same" : "DIFFERENT")} result within {Gradients.SameResultRelativeTolerance:0e+0} relative")));
        return list;
    }

    /// <summary>Everything above as JSON (numbers unrounded; θ left out).</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["problem"] = Problem.Name,
            ["description"] = Problem.Describe(),
            ["n_samples"] = Problem.SampleCount,
            ["n_features"] = Problem.FeatureCount,
            ["n_outputs"] = Problem.OutputCount,
            ["C"] = Problem.Penalty.C,
            ["dtype"] = DType.ToString().ToLowerInvariant(),
            ["data_sha256"] = Problem.DataSha256,
            ["optimum"] = Optimum == null ? null : new JsonObject
            {
                ["objective"] = Optimum.Objective,
                ["solver"] = Optim.SolverRegistry.NameOf(Optimum.Solver),
                ["tol"] = Optimum.Tolerance,
                ["gradient_inf_norm"] = Optimum.GradientInfNorm,
                ["iterations"] = Optimum.Iterations,
                ["start"] = Optimum.Start,
                ["reevaluated_objective"] = OptimumReevaluated?.Objective,
                ["reevaluated_gradient_inf_norm"] = OptimumReevaluated?.GradientInfNorm,
                ["target"] = Optimum.Target(RelativeTarget),
            },
            ["floor"] = new JsonObject
            {
                ["x_bytes"] = Floor.XBytes,
                ["bandwidth_bytes_per_second"] = Floor.Bandwidth,
                ["gemm_size"] = Floor.GemmSize,
                ["gemm_flops_per_second"] = Floor.FlopRate,
                ["threads"] = Floor.Threads,
                ["floor_ms"] = FloorMs,
            },
            ["solvers"] = new JsonArray(Runs.Select(r => (JsonNode)new JsonObject
            {
                ["solver"] = Optim.SolverRegistry.NameOf(r.Solver),
                ["dtype"] = r.DType.ToString().ToLowerInvariant(),
                ["reached"] = r.Reached,
                ["evaluations"] = r.Evaluations,
                ["hessian_products"] = r.HessianProducts,
                ["iterations"] = r.Iterations,
                ["timed_seconds"] = r.TimedSeconds,
                ["seconds_to_target"] = r.SecondsToTarget,
                ["passes"] = r.DataPasses,
                ["pass_seconds"] = r.PassSeconds,
                ["ms_in_pass"] = r.MsInPass,
                ["own_ms_per_pass"] = r.OwnMsPerPass,
                ["own_refresh_seconds"] = r.RefreshSeconds,
                ["own_apply_seconds"] = r.ApplySeconds,
                ["preconditioner_applications"] = r.Applications,
                ["own_other_seconds"] = r.OtherOwnSeconds,
                ["floor_evaluations"] = r.FloorEvaluations(FloorMs),
                ["ms_per_evaluation"] = r.MsPerEvaluation,
                ["ms_per_evaluation_over_floor"] = r.MsPerEvaluation / FloorMs,
                ["final_objective"] = r.FinalObjective,
                ["float64_checks"] = r.Float64Checks,
                ["peak_bytes"] = r.PeakBytes,
                ["baseline_bytes"] = r.BaselineBytes,
                ["threads"] = r.Threads,
                ["stop_reason"] = r.StopDescription,
            }).ToArray()),
        };
        if (Gradients != null)
        {
            json["gradient_paths"] = new JsonObject
            {
                ["dtype"] = Gradients.DType.ToString().ToLowerInvariant(),
                ["repeats"] = Gradients.Repeats,
                ["analytic_ms"] = Gradients.AnalyticMs,
                ["autograd_ms"] = Gradients.AutogradMs,
                ["speedup"] = Gradients.Speedup,
                ["value"] = Gradients.Value,
                ["value_difference"] = Gradients.ValueDifference,
                ["gradient_difference"] = Gradients.GradientDifference,
                ["gradient_scale"] = Gradients.GradientScale,
                ["same_result"] = Gradients.SameResult,
                ["threads"] = Gradients.Threads,
            };
        }
        json["sklearn"] = Peer == null
            ? new JsonObject { ["skipped"] = PeerSkipped ?? "not requested" }
            : new JsonObject
            {
                ["version"] = Peer.SklearnVersion,
                ["reached"] = Peer.Reached,
                ["stop"] = Peer.Stop,
                ["seconds_to_target"] = Peer.SecondsToTarget,
                ["seconds"] = Peer.Seconds,
                ["cap_seconds"] = Peer.CapSeconds,
                ["evaluations"] = Peer.Evaluations,
                ["iterations"] = Peer.Iterations,
                ["objective"] = Peer.Objective,
                ["objective_numpy"] = Peer.ObjectiveNumpy,
                ["objective_ours_at_its_point"] = PeerObjectiveOurs,
                ["objective_at_zero"] = Peer.ObjectiveAtZero,
                ["objective_at_zero_expected"] = Peer.ObjectiveAtZeroExpected,
                ["blas_threads"] = Peer.BlasThreads,
                ["speedup"] = PeerSpeedup,
                ["speedup_is_lower_bound"] = !Peer.Reached,
            };
        if (Liblinear != null)
        {
            json["liblinear"] = new JsonObject
            {
                ["file_bytes"] = Liblinear.FileBytes,
                ["write_seconds"] = Liblinear.WriteSeconds,
                ["read_only_seconds"] = new JsonArray(Liblinear.ReadOnlySeconds.First, Liblinear.ReadOnlySeconds.Second),
                ["read_only_observed_read_seconds"] = new JsonArray(Liblinear.ReadOnlyObserved.First, Liblinear.ReadOnlyObserved.Second),
                ["our_read_seconds"] = Liblinear.OurReadSeconds,
                ["seconds_to_target"] = Liblinear.SecondsToTarget,
                ["ours_after_seconds_to_target"] = FastestAfterLiblinear?.SecondsToTarget,
                ["ours_around_seconds_to_target"] = OursAroundLiblinear,
                ["runs"] = new JsonArray(Liblinear.Runs.Select(r => (JsonNode)new JsonObject
                {
                    ["epsilon"] = r.Epsilon,
                    ["wall_seconds"] = r.WallSeconds,
                    ["observed_read_seconds"] = r.ObservedReadSeconds,
                    ["read_end_seconds"] = Liblinear.ReadEnd(r),
                    ["solve_seconds"] = Liblinear.SolveSeconds(r),
                    ["subtracted_solve_seconds"] = Liblinear.SubtractedSolveSeconds(r),
                    ["objective"] = r.Objective,
                    ["start_error"] = r.StartError,
                    ["printed_f_error"] = r.PrintedFError,
                    ["steps"] = new JsonArray(r.Iterations.Select(i => (JsonNode)new JsonObject
                    {
                        ["iter"] = i.Step.Number,
                        ["seconds_after_read"] = i.Step.Seconds - Liblinear.ReadEnd(r),
                        ["act"] = i.Step.Actual,
                        ["pre"] = i.Step.Predicted,
                        ["cg"] = i.Step.CgSteps,
                        ["accepted"] = i.Accepted,
                        ["objective_after"] = i.ObjectiveAfter,
                    }).ToArray()),
                }).ToArray()),
            };
        }
        json["targets"] = new JsonArray(Targets().Select(t => (JsonNode)new JsonObject
        {
            ["target"] = t.Name,
            ["verdict"] = t.Verdict,
            ["measured"] = t.Measured,
        }).ToArray());
        return json;
    }
}
