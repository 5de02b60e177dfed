namespace TorchLogistic.Performance;

/// <summary>The LIBLINEAR peer's runs (<see cref="LiblinearPeer"/>).</summary>
/// <param name="WriteSeconds">Seconds we took to write the LIBSVM file (not part of either side's time).</param>
/// <param name="FileBytes">Size of the LIBSVM file.</param>
/// <param name="ReadOnlySeconds">Wall times of the two <c>-e 1e9</c> runs (before and after the timed runs): read, F and ∇F at w = 0, model written.</param>
/// <param name="Runs">The timed runs, in order (a tighter one only when the one before stopped short of the target).</param>
/// <param name="Target">The value of F to reach.</param>
public sealed record LiblinearPeerResult(double WriteSeconds, long FileBytes, (double First, double Second) ReadOnlySeconds,
    IReadOnlyList<LiblinearPeerResult.Run> Runs, double Target)
{
    /// <summary>One timed run of liblinear-train (without <c>-q</c>).</summary>
    /// <param name="Epsilon">Its <c>-e</c>.</param>
    /// <param name="WallSeconds">Its wall time, reading included.</param>
    /// <param name="ObservedReadSeconds">From its start until it closed the data file, or null when that was not observed.</param>
    /// <param name="Objective">Our F (float64) at its model.</param>
    /// <param name="Iterations">Its printed trial steps (seconds from the process start) with F after each.</param>
    /// <param name="SumScale">C·m: LIBLINEAR's objective over ours.</param>
    public sealed record Run(double Epsilon, double WallSeconds, double? ObservedReadSeconds, double Objective,
        IReadOnlyList<LiblinearPeerTrace.Iteration> Iterations, double SumScale)
    {
        /// <summary>Newton steps accepted.</summary>
        public int NewtonSteps => Iterations.Count(i => i.Accepted);

        /// <summary>CG steps (Hessian-vector products) over all trial steps.</summary>
        public int CgSteps => Iterations.Sum(i => i.Step.CgSteps);

        /// <summary>The first accepted step within <paramref name="target"/>, or null.</summary>
        public LiblinearPeerTrace.Iteration? FirstWithin(double target) => LiblinearPeerTrace.FirstWithin(Iterations, target);

        /// <summary>How far the rebuilt F(0) is from ln 2, relative (the rebuild's check), or null without steps.</summary>
        public double? StartError => LiblinearPeerTrace.StartError(Iterations, SumScale);

        /// <summary>The largest relative gap between the rebuilt F before a step and its printed f / C·m (four digits).</summary>
        public double PrintedFError => LiblinearPeerTrace.PrintedFError(Iterations, SumScale);
    }

    /// <summary>What the read-only runs' own /proc polling saw as their reading (null where not observed).</summary>
    public (double? First, double? Second) ReadOnlyObserved { get; init; }

    /// <summary>Seconds our <c>LibSvmFile.Load</c> took to read the same file, or null.</summary>
    public double? OurReadSeconds { get; init; }

    /// <summary>Mean wall time of the two read-only runs: the old estimate of LIBLINEAR's reading.</summary>
    public double ReadOnlyMeanSeconds => (ReadOnlySeconds.First + ReadOnlySeconds.Second) / 2;

    /// <summary>
    /// The end of reading in <paramref name="run"/>: observed, else the read-only runs' mean wall time; in either case
    /// no later than its first printed step (it cannot step before it has read the file; a poll that came late, as on a
    /// file read in milliseconds on a busy machine, would otherwise put the end of reading after it).
    /// </summary>
    public double ReadEnd(Run run) => Math.Min(run.ObservedReadSeconds ?? ReadOnlyMeanSeconds,
        run.Iterations.Count > 0 ? run.Iterations[0].Step.Seconds : double.PositiveInfinity);

    /// <summary>The run whose final F is within the target, or null.</summary>
    public Run? Reached => Runs.FirstOrDefault(r => r.Objective <= Target && r.FirstWithin(Target) != null);

    /// <summary>Seconds from the end of reading to the line of the first step within the target, in <see cref="Reached"/>, or null.</summary>
    public double? SecondsToTarget => Reached is { } run ? run.FirstWithin(Target)!.Step.Seconds - ReadEnd(run) : null;

    /// <summary>Seconds from the end of reading to the exit of <paramref name="run"/> (the whole solve and the model's writing).</summary>
    public double SolveSeconds(Run run) => run.WallSeconds - ReadEnd(run);

    /// <summary>The old estimate of <paramref name="run"/>'s solve: its wall time minus the read-only runs' mean.</summary>
    public double SubtractedSolveSeconds(Run run) => run.WallSeconds - ReadOnlyMeanSeconds;
}
