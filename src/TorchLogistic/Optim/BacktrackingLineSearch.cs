namespace TorchLogistic.Optim;

/// <summary>
/// Backtracking (Armijo) line search for Newton-type directions: try t = 1, ½, ¼, … until
/// <c>f(θ + t·d) ≤ f(θ) + c₁·t·∇f(θ)ᵀd</c> (c₁ = 1e-4), up to a few ulps of f. When even the full step's predicted
/// decrease <c>−∇fᵀd</c> is below f's rounding error, f cannot tell better from worse; then the test uses the
/// slopes instead, Hager &amp; Zhang's approximate Armijo condition <c>φ'(t) ≤ (1 − 2c₁)·|φ'(0)|</c> with
/// φ(t) = f(θ + t·d), which is the Armijo condition exactly when f is quadratic along d — as it is near the optimum.
/// </summary>
internal static class BacktrackingLineSearch
{
    public readonly record struct Result(double Step, double Value, double[] Gradient, bool Found);

    /// <param name="evaluate">f and ∇f (into its second argument) at its first argument.</param>
    /// <param name="x">θ.</param>
    /// <param name="d">The descent direction.</param>
    /// <param name="f">f(θ).</param>
    /// <param name="g">∇f(θ), returned when no step is found.</param>
    /// <param name="gtd">∇f(θ)ᵀd &lt; 0.</param>
    /// <param name="c1">The Armijo constant.</param>
    /// <param name="maxHalvings">Halvings of t at most.</param>
    /// <param name="point">Where the trial points are written (length n), or null for a new array.</param>
    /// <param name="trialGradient">Where the trial gradients are written (length n; the accepted one is returned in it), or null for a new array.</param>
    public static Result Search(Func<double[], double[], double> evaluate, double[] x, double[] d, double f, double[] g, double gtd,
        double c1 = 1e-4, int maxHalvings = 50, double[]? point = null, double[]? trialGradient = null)
    {
        int n = x.Length;
        double slack = 8 * Math.Abs(f) * 2.220446049250313e-16;
        bool flat = -gtd <= 64 * slack;
        var xNew = point ?? new double[n];
        // A rejected trial's gradient is not kept: one array for all of them.
        var gNew = trialGradient ?? new double[n];
        double t = 1;
        for (int i = 0; i <= maxHalvings; i++, t *= 0.5)
        {
            VectorMath.PointAlong(x, t, d, xNew);
            double fNew = evaluate(xNew, gNew);
            if (!double.IsFinite(fNew)) continue;
            bool accepted = flat
                ? VectorMath.Dot(gNew, d) <= (1 - 2 * c1) * -gtd && fNew <= f + slack
                : fNew <= f + c1 * t * gtd + slack;
            if (accepted) return new Result(t, fNew, gNew, true);
        }
        return new Result(0, f, g, false);
    }
}
