using TorchLogistic.Native;
using static TorchSharp.torch;

namespace TorchLogistic.Checking;

/// <summary>
/// Checks derivatives of any scalar function <c>f: Tensor → Tensor</c> three ways, in float64: a closed-form
/// (analytic) derivative you supply, autograd, and central finite differences — and Hessians as the closed form
/// against autograd's double backward and against finite differences of the gradient. Every check reports the
/// worst absolute and relative error and where it occurs (see <see cref="Comparison"/>). TorchSharp has no
/// <c>gradcheck</c> and no Hessian helper; this is both (<see cref="Gradcheck"/>, <see cref="Hessian"/>).
/// <para>
/// x is converted to float64 before f sees it, so f must accept float64 input. f must be differentiable by
/// autograd for the autograd comparisons; the finite differences need only its values.
/// </para>
/// </summary>
public static class GradientChecker
{
    /// <summary>∇f(x) by autograd, x's shape, float64. Zero when f does not depend on x.</summary>
    /// <param name="f">A function with one output value.</param>
    /// <param name="x">The point.</param>
    public static Tensor Gradient(Func<Tensor, Tensor> f, Tensor x)
    {
        using var scope = NewDisposeScope();
        using var _ = enable_grad();
        var xv = Leaf(x);
        var y = ScalarOutput(f, xv);
        return GradOrZeros(y, xv, createGraph: false).detach().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// ∇²f(x) by autograd's double backward, <c>(n, n)</c> over x's entries in row-major order (n = x.numel()),
    /// float64: one backward pass through the gradient per row. Zero when the gradient does not depend on x.
    /// </summary>
    /// <param name="f">A function with one output value, twice differentiable by autograd.</param>
    /// <param name="x">The point.</param>
    public static Tensor Hessian(Func<Tensor, Tensor> f, Tensor x)
    {
        using var scope = NewDisposeScope();
        using var _ = enable_grad();
        var xv = Leaf(x);
        var g = GradOrZeros(ScalarOutput(f, xv), xv, createGraph: true).flatten();
        long n = g.shape[0];
        var h = zeros(n, n, dtype: ScalarType.Float64);
        if (g.requires_grad)
        {
            for (long i = 0; i < n; i++)
            {
                // retain_graph: every row differentiates the same gradient graph again.
                var row = autograd.grad(new[] { g[i] }, new[] { xv }, retain_graph: true, allow_unused: true)[0];
                if (row is not null) h[i] = row.detach().flatten();
            }
        }
        return h.MoveToOuterDisposeScope();
    }

    /// <summary>∇²f(x)·v by autograd (double backward through ∇f·v), x's shape, float64.</summary>
    /// <param name="f">A function with one output value.</param>
    /// <param name="x">The point.</param>
    /// <param name="v">The direction, x's shape.</param>
    public static Tensor HessianVectorProduct(Func<Tensor, Tensor> f, Tensor x, Tensor v)
    {
        CheckSameNumel(x, v, nameof(v));
        using var scope = NewDisposeScope();
        using var _ = enable_grad();
        var xv = Leaf(x);
        var g = GradOrZeros(ScalarOutput(f, xv), xv, createGraph: true);
        if (!g.requires_grad) return zeros_like(xv).detach().MoveToOuterDisposeScope();
        var gv = (g.flatten() * v.detach().to_type(ScalarType.Float64).flatten()).sum();
        var hv = autograd.grad(new[] { gv }, new[] { xv }, allow_unused: true)[0];
        return (hv is null ? zeros_like(xv) : hv).detach().MoveToOuterDisposeScope();
    }

    /// <summary>∇f(x) by central differences <c>(f(x + ε·eᵢ) − f(x − ε·eᵢ)) / 2ε</c>, x's shape, float64 (2n evaluations, no autograd).</summary>
    /// <param name="f">A function with one output value.</param>
    /// <param name="x">The point.</param>
    /// <param name="epsilon">ε &gt; 0 (default 1e-6).</param>
    public static Tensor FiniteDifferenceGradient(Func<Tensor, Tensor> f, Tensor x, double epsilon = 1e-6)
    {
        CheckEps(epsilon);
        var shape = x.shape;
        var values = ToArray(x);
        var result = new double[values.Length];
        using (no_grad())
        {
            for (int i = 0; i < values.Length; i++)
            {
                double xi = values[i];
                values[i] = xi + epsilon;
                double plus = Evaluate(f, values, shape);
                values[i] = xi - epsilon;
                double minus = Evaluate(f, values, shape);
                values[i] = xi;
                result[i] = (plus - minus) / (2 * epsilon);
            }
        }
        return tensor(result, shape, ScalarType.Float64);
    }

    /// <summary>
    /// The Jacobian of a vector function g by central differences, <c>(numel g(x), n)</c>: column j is
    /// <c>(g(x + ε·eⱼ) − g(x − ε·eⱼ)) / 2ε</c>. With g a gradient, this is a finite-difference Hessian.
    /// </summary>
    /// <param name="g">A function of x (e.g. a gradient).</param>
    /// <param name="x">The point.</param>
    /// <param name="epsilon">ε &gt; 0 (default 1e-6).</param>
    public static Tensor FiniteDifferenceJacobian(Func<Tensor, Tensor> g, Tensor x, double epsilon = 1e-6)
    {
        CheckEps(epsilon);
        var shape = x.shape;
        var values = ToArray(x);
        var columns = new Tensor[values.Length];
        using var scope = NewDisposeScope();
        for (int j = 0; j < values.Length; j++)
        {
            double xj = values[j];
            values[j] = xj + epsilon;
            var plus = g(tensor(values, shape, ScalarType.Float64)).detach().to_type(ScalarType.Float64).flatten();
            values[j] = xj - epsilon;
            var minus = g(tensor(values, shape, ScalarType.Float64)).detach().to_type(ScalarType.Float64).flatten();
            values[j] = xj;
            columns[j] = (plus - minus).DividedBy(2 * epsilon);
        }
        return stack(columns, 1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Checks a gradient. With <paramref name="analyticGradient"/>: analytic vs autograd (exact tolerances),
    /// analytic vs finite differences, autograd vs finite differences. Without: autograd vs finite differences
    /// (PyTorch's gradcheck).
    /// </summary>
    /// <param name="f">A function with one output value, float64 input.</param>
    /// <param name="x">The point.</param>
    /// <param name="analyticGradient">x ↦ ∇f(x) in closed form (x's shape or n entries), or null.</param>
    /// <param name="options">Tolerances and ε (defaults as PyTorch's gradcheck).</param>
    public static GradientCheckResult CheckGradient(Func<Tensor, Tensor> f, Tensor x, Func<Tensor, Tensor>? analyticGradient = null, GradientCheckOptions? options = null)
    {
        var o = options ?? GradientCheckOptions.Defaults;
        o.Validate();
        using var scope = NewDisposeScope();
        var x64 = x.detach().to_type(ScalarType.Float64).clone();
        var auto = Gradient(f, x64);
        var numeric = FiniteDifferenceGradient(f, x64, o.Epsilon);
        var comparisons = new List<Comparison>();
        if (analyticGradient is not null)
        {
            var analytic = EvaluateDerivative(analyticGradient, x64, x64.shape, "analytic gradient");
            comparisons.Add(Compare("analytic vs autograd", analytic, auto, o.ExactAbsoluteTolerance, o.ExactRelativeTolerance));
            comparisons.Add(Compare("analytic vs finite differences", analytic, numeric, o.AbsoluteTolerance, o.RelativeTolerance));
        }
        comparisons.Add(Compare("autograd vs finite differences", auto, numeric, o.AbsoluteTolerance, o.RelativeTolerance));
        return new GradientCheckResult("gradient", comparisons);
    }

    /// <summary>
    /// Checks a Hessian. With <paramref name="analyticHessian"/>: analytic vs autograd double backward (exact
    /// tolerances), analytic vs finite differences of the autograd gradient, and the symmetry of the analytic
    /// Hessian. Without: autograd vs finite differences, and the symmetry of autograd's.
    /// </summary>
    /// <param name="f">A function with one output value, twice differentiable by autograd.</param>
    /// <param name="x">The point.</param>
    /// <param name="analyticHessian">x ↦ ∇²f(x) in closed form, <c>(n, n)</c>, or null.</param>
    /// <param name="options">Tolerances and ε.</param>
    public static GradientCheckResult CheckHessian(Func<Tensor, Tensor> f, Tensor x, Func<Tensor, Tensor>? analyticHessian = null, GradientCheckOptions? options = null)
    {
        var o = options ?? GradientCheckOptions.Defaults;
        o.Validate();
        using var scope = NewDisposeScope();
        var x64 = x.detach().to_type(ScalarType.Float64).clone();
        long n = x64.numel();
        var auto = Hessian(f, x64);
        var numeric = FiniteDifferenceJacobian(p => Gradient(f, p), x64, o.Epsilon);
        var comparisons = new List<Comparison>();
        if (analyticHessian is not null)
        {
            var analytic = EvaluateDerivative(analyticHessian, x64, new[] { n, n }, "analytic Hessian");
            comparisons.Add(Compare("analytic vs autograd double backward", analytic, auto, o.ExactAbsoluteTolerance, o.ExactRelativeTolerance));
            comparisons.Add(Compare("analytic vs finite differences of autograd gradient", analytic, numeric, o.AbsoluteTolerance, o.RelativeTolerance));
            comparisons.Add(Compare("symmetry: analytic vs its transpose", analytic, analytic.t(), o.ExactAbsoluteTolerance, o.ExactRelativeTolerance));
        }
        else
        {
            comparisons.Add(Compare("autograd vs finite differences of autograd gradient", auto, numeric, o.AbsoluteTolerance, o.RelativeTolerance));
            comparisons.Add(Compare("symmetry: autograd vs its transpose", auto, auto.t(), o.ExactAbsoluteTolerance, o.ExactRelativeTolerance));
        }
        return new GradientCheckResult("Hessian", comparisons);
    }

    /// <summary>Checks a Hessian-vector product: analytic vs autograd (exact tolerances) and vs finite differences of the autograd gradient along v.</summary>
    /// <param name="f">A function with one output value.</param>
    /// <param name="x">The point.</param>
    /// <param name="v">The direction, x's shape.</param>
    /// <param name="analyticHvp">(x, v) ↦ ∇²f(x)·v in closed form.</param>
    /// <param name="options">Tolerances and ε.</param>
    public static GradientCheckResult CheckHessianVectorProduct(Func<Tensor, Tensor> f, Tensor x, Tensor v, Func<Tensor, Tensor, Tensor> analyticHvp, GradientCheckOptions? options = null)
    {
        var o = options ?? GradientCheckOptions.Defaults;
        o.Validate();
        CheckSameNumel(x, v, nameof(v));
        using var scope = NewDisposeScope();
        var x64 = x.detach().to_type(ScalarType.Float64).clone();
        var v64 = v.detach().to_type(ScalarType.Float64).reshape(x64.shape);
        var auto = HessianVectorProduct(f, x64, v64);
        var analytic = EvaluateDerivative(p => analyticHvp(p, v64), x64, x64.shape, "analytic Hessian-vector product");
        // d/dt ∇f(x + t·v) at t = 0, by central differences in t.
        var numeric = FiniteDifferenceJacobian(t => Gradient(f, x64.Plus(t * v64)), zeros(1, dtype: ScalarType.Float64), o.Epsilon).reshape(x64.shape);
        return new GradientCheckResult("Hessian-vector product", new[]
        {
            Compare("analytic vs autograd double backward", analytic, auto, o.ExactAbsoluteTolerance, o.ExactRelativeTolerance),
            Compare("analytic vs finite differences of autograd gradient", analytic, numeric, o.AbsoluteTolerance, o.RelativeTolerance),
        });
    }

    /// <summary>
    /// PyTorch's <c>gradcheck</c>: true when the gradient (analytic if given, else autograd) matches central finite
    /// differences within <c>atol + rtol·|numerical|</c>; otherwise throws <see cref="GradientCheckException"/> with the
    /// report, or returns false when <paramref name="raiseException"/> is false.
    /// </summary>
    /// <param name="f">A function with one output value.</param>
    /// <param name="x">The point.</param>
    /// <param name="analyticGradient">x ↦ ∇f(x) in closed form, or null to check autograd itself.</param>
    /// <param name="epsilon">Finite-difference step (default 1e-6).</param>
    /// <param name="absoluteTolerance">Absolute tolerance (default 1e-5).</param>
    /// <param name="relativeTolerance">Relative tolerance (default 1e-3).</param>
    /// <param name="raiseException">Throw on failure (default true, as PyTorch).</param>
    public static bool Gradcheck(Func<Tensor, Tensor> f, Tensor x, Func<Tensor, Tensor>? analyticGradient = null, double epsilon = 1e-6, double absoluteTolerance = 1e-5,
        double relativeTolerance = 1e-3, bool raiseException = true)
    {
        var result = CheckGradient(f, x, analyticGradient, new GradientCheckOptions { Epsilon = epsilon, AbsoluteTolerance = absoluteTolerance, RelativeTolerance = relativeTolerance });
        if (!result.Passed && raiseException) throw new GradientCheckException(result);
        return result.Passed;
    }

    /// <summary>
    /// Compares two tensors of the same number of entries: worst absolute and relative errors with their
    /// locations (in <paramref name="expected"/>'s shape), and pass when <c>|a − e| ≤ atol + rtol·|e|</c> everywhere.
    /// </summary>
    /// <param name="name">Label of the comparison.</param>
    /// <param name="actual">The values under test.</param>
    /// <param name="expected">The reference.</param>
    /// <param name="absoluteTolerance">Absolute tolerance.</param>
    /// <param name="relativeTolerance">Relative tolerance.</param>
    public static Comparison Compare(string name, Tensor actual, Tensor expected, double absoluteTolerance, double relativeTolerance)
    {
        CheckSameNumel(expected, actual, nameof(actual));
        var a = ToArray(actual);
        var e = ToArray(expected);
        double maxAbs = 0, maxRel = 0, worst = -1;
        long absAt = 0, relAt = 0, worstAt = 0;
        bool passed = true;
        for (long i = 0; i < e.Length; i++)
        {
            double delta = Math.Abs(a[i] - e[i]);
            if (double.IsNaN(delta))
            {
                if (!double.IsNaN(maxAbs)) (absAt, relAt, worstAt) = (i, i, i);
                maxAbs = maxRel = double.NaN;
                passed = false;
                continue;
            }
            if (double.IsNaN(maxAbs)) continue;
            double rel = delta / Math.Max(Math.Abs(e[i]), absoluteTolerance);
            double ratio = delta / (absoluteTolerance + relativeTolerance * Math.Abs(e[i]));
            if (delta > maxAbs) (maxAbs, absAt) = (delta, i);
            if (rel > maxRel) (maxRel, relAt) = (rel, i);
            if (ratio > worst) (worst, worstAt) = (ratio, i);
            if (!(delta <= absoluteTolerance + relativeTolerance * Math.Abs(e[i]))) passed = false;
        }
        return new Comparison
        {
            Name = name,
            Shape = expected.shape,
            MaxAbsError = maxAbs,
            MaxAbsIndex = absAt,
            MaxRelError = maxRel,
            MaxRelIndex = relAt,
            WorstIndex = worstAt,
            ActualAtWorst = e.Length == 0 ? 0 : a[worstAt],
            ExpectedAtWorst = e.Length == 0 ? 0 : e[worstAt],
            AbsoluteTolerance = absoluteTolerance,
            RelativeTolerance = relativeTolerance,
            Passed = passed,
        };
    }

    private static Tensor Leaf(Tensor x) => x.detach().to_type(ScalarType.Float64).clone().requires_grad_(true);

    private static Tensor ScalarOutput(Func<Tensor, Tensor> f, Tensor x)
    {
        var y = f(x);
        if (y.numel() != 1)
            throw new ArgumentException($"The function returned shape [{string.Join(", ", y.shape)}]; the checker needs a single value (reduce with sum() or mean()).", nameof(f));
        return y.reshape(Array.Empty<long>());
    }

    private static Tensor GradOrZeros(Tensor y, Tensor x, bool createGraph)
    {
        if (!y.requires_grad) return zeros_like(x);
        var g = autograd.grad(new[] { y }, new[] { x }, retain_graph: createGraph, create_graph: createGraph, allow_unused: true)[0];
        return g is null ? zeros_like(x) : g.to_type(ScalarType.Float64);
    }

    private static Tensor EvaluateDerivative(Func<Tensor, Tensor> derivative, Tensor x, long[] shape, string what)
    {
        Tensor value;
        using (no_grad()) value = derivative(x.clone()).detach().to_type(ScalarType.Float64);
        if (value.numel() != shape.Aggregate(1L, (p, s) => p * s))
            throw new ArgumentException($"The {what} has shape [{string.Join(", ", value.shape)}]; expected [{string.Join(", ", shape)}].");
        return value.reshape(shape);
    }

    private static double Evaluate(Func<Tensor, Tensor> f, double[] values, long[] shape)
    {
        using var scope = NewDisposeScope();
        var y = f(tensor(values, shape, ScalarType.Float64));
        if (y.numel() != 1)
            throw new ArgumentException($"The function returned shape [{string.Join(", ", y.shape)}]; the checker needs a single value (reduce with sum() or mean()).", nameof(f));
        return y.detach().to_type(ScalarType.Float64).reshape(Array.Empty<long>()).item<double>();
    }

    private static double[] ToArray(Tensor t)
    {
        using var scope = NewDisposeScope();
        return t.detach().to_type(ScalarType.Float64).cpu().contiguous().flatten().data<double>().ToArray();
    }

    private static void CheckEps(double epsilon)
    {
        if (!(epsilon > 0) || !double.IsFinite(epsilon)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, $"eps = {epsilon} must be a finite number > 0 (try 1e-6).");
    }

    private static void CheckSameNumel(Tensor reference, Tensor other, string name)
    {
        if (other.numel() != reference.numel())
            throw new ArgumentException($"{name} has shape [{string.Join(", ", other.shape)}]; it needs the {reference.numel()} entries of [{string.Join(", ", reference.shape)}].", name);
    }
}
