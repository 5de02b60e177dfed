namespace TorchLogistic.Performance;

/// <summary>What <see cref="ScikitLearnPeer.run"/> measured; objectives on TorchLogistic's scale (scikit-learn's divided by m).</summary>
/// <param name="sklearn_version">scikit-learn's version.</param>
/// <param name="reached">Whether an evaluation's objective reached the target within the cap.</param>
/// <param name="stop">Why it stopped: <c>reached</c>, <c>time cap</c>, or scikit-learn's own stopping rule.</param>
/// <param name="seconds_to_target">Seconds from the call to <c>fit</c> to the evaluation at the target, or null.</param>
/// <param name="seconds">Seconds from the call to <c>fit</c> to the end.</param>
/// <param name="evaluations">Objective-and-gradient evaluations.</param>
/// <param name="iterations">L-BFGS-B iterations completed.</param>
/// <param name="objective">scikit-learn's own objective / m at its best evaluated point.</param>
/// <param name="objective_numpy">The same recomputed by the script with numpy from the coefficients.</param>
/// <param name="objective_at_zero">scikit-learn's objective / m at w = 0.</param>
/// <param name="objective_at_zero_expected">log 2 (binary) or log K: what it must be if scikit-learn's objective is TorchLogistic's times m.</param>
/// <param name="cap_seconds">The time cap.</param>
/// <param name="blas_threads">NumPy's BLAS thread pools (threadpoolctl), e.g. "openmp 2".</param>
/// <param name="theta">scikit-learn's best point in TorchLogistic's layout [vec(W); b].</param>
public sealed record ScikitLearnPeerResult(string sklearn_version, bool reached, string stop, double? seconds_to_target, double seconds,
    int evaluations, int iterations, double objective, double objective_numpy, double objective_at_zero, double objective_at_zero_expected,
    double cap_seconds, string blas_threads, double[] theta);
