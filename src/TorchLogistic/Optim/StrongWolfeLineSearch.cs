namespace TorchLogistic.Optim;

/// <summary>
/// A line search for step t along a descent direction d that satisfies the strong Wolfe conditions
/// <c>φ(t) ≤ φ(0) + c₁·t·φ'(0)</c> and <c>|φ'(t)| ≤ c₂·|φ'(0)|</c> with φ(t) = f(x + t·d): bracketing, then
/// zoom with safeguarded cubic interpolation (Nocedal &amp; Wright, Algorithms 3.5–3.6; the same scheme as
/// PyTorch's <c>_strong_wolfe</c>). Near the optimum, f changes by less than its rounding error while the
/// gradient is still informative, so sufficient decrease is tested with a tolerance of a few ulps of |f|
/// (Hager &amp; Zhang's approximate Wolfe idea); the curvature condition is always exact.
/// </summary>
internal sealed class StrongWolfeLineSearch
{
    private readonly double _c1;
    private readonly double _c2;
    private readonly int _maxEvaluations;
    private readonly double _toleranceChange;

    /// <summary>Creates the line search.</summary>
    public StrongWolfeLineSearch(double c1 = 1e-4, double c2 = 0.9, int maxEvaluations = 25, double toleranceChange = 1e-14)
    {
        this._c1 = c1;
        this._c2 = c2;
        _maxEvaluations = maxEvaluations;
        _toleranceChange = toleranceChange;
    }

    /// <summary>The outcome: the step, f and ∇f there, and evaluations used.</summary>
    public readonly record struct Result(double Step, double Value, double[] Gradient, int Evaluations, bool Satisfied);

    /// <summary>Searches along <paramref name="d"/> from <paramref name="x"/> starting at step <paramref name="t"/>.</summary>
    /// <param name="evaluate">f and ∇f at a point (writes the gradient).</param>
    /// <param name="x">Start point.</param>
    /// <param name="t">Initial step.</param>
    /// <param name="d">Descent direction.</param>
    /// <param name="f">f(x).</param>
    /// <param name="g">∇f(x).</param>
    /// <param name="gtd">∇f(x)·d &lt; 0.</param>
    public Result Search(Func<double[], double[], double> evaluate, double[] x, double t, double[] d, double f, double[] g, double gtd)
    {
        double dNorm = VectorMath.NormInf(d);
        double slack = 8 * Math.Abs(f) * 2.220446049250313e-16;
        bool Sufficient(double step, double value) => value <= f + _c1 * step * gtd + slack;

        var xNew = new double[x.Length];
        double Eval(double step, double[] gradient)
        {
            for (int i = 0; i < x.Length; i++) xNew[i] = x[i] + step * d[i];
            return evaluate(xNew, gradient);
        }

        var gNew = new double[x.Length];
        double fNew = Eval(t, gNew);
        int evals = 1;
        double gtdNew = VectorMath.Dot(gNew, d);

        double tPrev = 0, fPrev = f, gtdPrev = gtd;
        var gPrev = (double[])g.Clone();
        bool done = false;
        int lsIter = 0;
        double[] bracket, bracketF, bracketGtd;
        double[][] bracketG;

        while (true)
        {
            if (!Sufficient(t, fNew) || (lsIter > 1 && fNew >= fPrev))
            {
                bracket = new[] { tPrev, t }; bracketF = new[] { fPrev, fNew };
                bracketG = new[] { gPrev, (double[])gNew.Clone() }; bracketGtd = new[] { gtdPrev, gtdNew };
                break;
            }
            if (Math.Abs(gtdNew) <= -_c2 * gtd)
            {
                bracket = new[] { t }; bracketF = new[] { fNew }; bracketG = new[] { gNew }; bracketGtd = new[] { gtdNew };
                done = true;
                break;
            }
            if (gtdNew >= 0)
            {
                bracket = new[] { tPrev, t }; bracketF = new[] { fPrev, fNew };
                bracketG = new[] { gPrev, (double[])gNew.Clone() }; bracketGtd = new[] { gtdPrev, gtdNew };
                break;
            }
            if (evals >= _maxEvaluations)
            {
                bracket = new[] { 0, t }; bracketF = new[] { f, fNew };
                bracketG = new[] { g, (double[])gNew.Clone() }; bracketGtd = new[] { gtd, gtdNew };
                break;
            }
            // Extrapolate: cubic minimiser within [t + 0.01(t − t_prev), 10t].
            double minStep = t + 0.01 * (t - tPrev);
            double maxStep = t * 10;
            double tmp = t;
            t = CubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, minStep, maxStep);
            tPrev = tmp; fPrev = fNew; gPrev = (double[])gNew.Clone(); gtdPrev = gtdNew;
            fNew = Eval(t, gNew);
            evals++;
            gtdNew = VectorMath.Dot(gNew, d);
            lsIter++;
        }

        // Zoom: shrink the bracket until a point satisfies both conditions.
        bool insufficientProgress = false;
        var (low, high) = bracket.Length == 1 || bracketF[0] <= bracketF[1] ? (0, 1) : (1, 0);
        while (!done && evals < _maxEvaluations && bracket.Length > 1)
        {
            if (Math.Abs(bracket[1] - bracket[0]) * dNorm < _toleranceChange) break;
            t = CubicInterpolate(bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1], bracketGtd[1],
                Math.Min(bracket[0], bracket[1]), Math.Max(bracket[0], bracket[1]));
            double hi = Math.Max(bracket[0], bracket[1]), lo = Math.Min(bracket[0], bracket[1]);
            double epsilon = 0.1 * (hi - lo);
            if (Math.Min(hi - t, t - lo) < epsilon)
            {
                if (insufficientProgress || t >= hi || t <= lo)
                {
                    t = Math.Abs(t - hi) < Math.Abs(t - lo) ? hi - epsilon : lo + epsilon;
                    insufficientProgress = false;
                }
                else
                {
                    insufficientProgress = true;
                }
            }
            else
            {
                insufficientProgress = false;
            }
            fNew = Eval(t, gNew);
            evals++;
            gtdNew = VectorMath.Dot(gNew, d);
            if (!Sufficient(t, fNew) || fNew >= bracketF[low] + slack)
            {
                bracket[high] = t; bracketF[high] = fNew; bracketG[high] = (double[])gNew.Clone(); bracketGtd[high] = gtdNew;
                (low, high) = bracketF[0] <= bracketF[1] ? (0, 1) : (1, 0);
            }
            else
            {
                if (Math.Abs(gtdNew) <= -_c2 * gtd)
                {
                    done = true;
                }
                else if (gtdNew * (bracket[high] - bracket[low]) >= 0)
                {
                    bracket[high] = bracket[low]; bracketF[high] = bracketF[low];
                    bracketG[high] = bracketG[low]; bracketGtd[high] = bracketGtd[low];
                }
                bracket[low] = t; bracketF[low] = fNew; bracketG[low] = (double[])gNew.Clone(); bracketGtd[low] = gtdNew;
            }
        }
        return new Result(bracket[low], bracketF[low], bracketG[low], evals, done);
    }

    /// <summary>Minimiser of the cubic through (x1, f1, g1) and (x2, f2, g2), clamped to [lower, upper].</summary>
    internal static double CubicInterpolate(double x1, double f1, double g1, double x2, double f2, double g2, double lower, double upper)
    {
        double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
        double d2Square = d1 * d1 - g1 * g2;
        if (d2Square >= 0 && double.IsFinite(d2Square))
        {
            double d2 = Math.Sqrt(d2Square);
            double minPos = x1 <= x2
                ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
                : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
            if (double.IsFinite(minPos)) return Math.Min(Math.Max(minPos, lower), upper);
        }
        return (lower + upper) / 2;
    }
}
