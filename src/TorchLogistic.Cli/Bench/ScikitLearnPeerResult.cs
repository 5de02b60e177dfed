namespace TorchLogistic.Performance;

/// <summary>What <see cref="ScikitLearnPeer.Run"/> measured; objectives on TorchLogistic's scale (scikit-learn's divided by m).</summary>
/// <param name="SklearnVersion">scikit-learn's version.</param>
/// <param name="Reached">Whether an evaluation's objective reached the target within the cap.</param>
/// <param name="Stop">Why it stopped: <c>reached</c>, <c>time cap</c>, or scikit-learn's own stopping rule.</param>
/// <param name="SecondsToTarget">Seconds from the call to <c>fit</c> to the evaluation at the target, or null.</param>
/// <param name="Seconds">Seconds from the call to <c>fit</c> to the end.</param>
/// <param name="Evaluations">Objective-and-gradient evaluations.</param>
/// <param name="Iterations">L-BFGS-B iterations completed.</param>
/// <param name="Objective">scikit-learn's own objective / m at its best evaluated point.</param>
/// <param name="ObjectiveNumpy">The same recomputed by the script with numpy from the coefficients.</param>
/// <param name="ObjectiveAtZero">scikit-learn's objective / m at w = 0.</param>
/// <param name="ObjectiveAtZeroExpected">log 2 (binary) or log K: what it must be if scikit-learn's objective is TorchLogistic's times m.</param>
/// <param name="CapSeconds">The time cap.</param>
/// <param name="BlasThreads">NumPy's BLAS thread pools (threadpoolctl), e.g. "openmp 2".</param>
/// <param name="Theta">scikit-learn's best point in TorchLogistic's layout [vec(W); b].</param>
public sealed record ScikitLearnPeerResult(string SklearnVersion, bool Reached, string Stop, double? SecondsToTarget, double Seconds,
    int Evaluations, int Iterations, double Objective, double ObjectiveNumpy, double ObjectiveAtZero, double ObjectiveAtZeroExpected,
    double CapSeconds, string BlasThreads, double[] Theta);
