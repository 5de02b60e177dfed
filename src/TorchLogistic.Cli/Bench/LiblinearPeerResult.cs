namespace TorchLogistic.Performance;

/// <summary>The LIBLINEAR peer's runs (<see cref="LiblinearPeer"/>).</summary>
/// <param name="WriteSeconds">Seconds we took to write the LIBSVM file (not part of either side's time).</param>
/// <param name="FileBytes">Size of the LIBSVM file.</param>
/// <param name="ReadSeconds">Wall time of the <c>-e 1e9</c> run: LIBLINEAR reading the file (and one gradient).</param>
/// <param name="Runs">One per tolerance tried, in order.</param>
/// <param name="Target">The value of F to reach.</param>
public sealed record LiblinearPeerResult(double WriteSeconds, long FileBytes, double ReadSeconds, IReadOnlyList<LiblinearPeerResult.Run> Runs, double Target)
{
    /// <summary>One run of liblinear-train.</summary>
    /// <param name="Epsilon">Its <c>-e</c>.</param>
    /// <param name="WallSeconds">Its wall time, reading included.</param>
    /// <param name="TrainSeconds">Wall time minus <see cref="ReadSeconds"/>.</param>
    /// <param name="Objective">Our F (float64) at its model.</param>
    public sealed record Run(double Epsilon, double WallSeconds, double TrainSeconds, double Objective);

    /// <summary>Wall times of the two <c>-e 1e9</c> runs (before and after the timed runs) whose mean is <see cref="ReadSeconds"/>.</summary>
    public (double First, double Second) ReadSecondsRange { get; init; }

    /// <summary>Seconds our <c>LibSvmFile.Load</c> took to read the same file, or null.</summary>
    public double? OurReadSeconds { get; init; }

    /// <summary>The fastest run (reading excluded) within the target, or null.</summary>
    public Run? Reached => Runs.Where(r => r.Objective <= Target).OrderBy(r => r.TrainSeconds).FirstOrDefault();

    /// <summary>Training seconds (reading excluded) of the first run within the target, or null.</summary>
    public double? SecondsToTarget => Reached?.TrainSeconds;
}
