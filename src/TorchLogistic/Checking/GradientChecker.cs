using static TorchSharp.torch;

namespace TorchLogistic.Checking;

/// <summary>
/// Checks derivatives of any scalar function <c>f: Tensor → Tensor</c> three ways, in float64: a closed-form
/// (analytic) derivative you supply, autograd, and central finite differences — and Hessians as the closed form
/// against autograd's double backward and against finite differences of the gradient. Every check reports the
/// worst absolute and relative error and where it occurs (see <see cref="Comparison"/>). TorchSharp has no
/// <c>gradcheck</c> and no Hessian helper; this is both (<see cref="gradcheck"/>, <see cref="hessian"/>).
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
    public static Tensor gradient(Func<Tensor, Tensor> f, Tensor x)
    {
        using var scope = NewDisposeScope();
        using var _ = enable_grad();
        var xv = leaf(x);
        var y = scalar_output(f, xv);
        return grad_or_zeros(y, xv, create_graph: false).detach().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// ∇²f(x) by autograd's double backward, <c>(n, n)</c> over x's entries in row-major order (n = x.numel()),
    /// float64: one backward pass through the gradient per row. Zero when the gradient does not depend on x.
    /// </summary>
    /// <param name="f">A function with one output value, twice differentiable by autograd.</param>
    /// <param name="x">The point.</param>
    public static Tensor hessian(Func<Tensor, Tensor> f, Tensor x)
    {
        using var scope = NewDisposeScope();
        using var _ = enable_grad();
        var xv = leaf(x);
        var g = grad_or_zeros(scalar_output(f, xv), xv, create_graph: true).flatten();
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
    public static Tensor hessian_vector_product(Func<Tensor, Tensor> f, Tensor x, Tensor v)
    {
        check_same_numel(x, v, nameof(v));
        using var scope = NewDisposeScope();
        using var _ = enable_grad();
        var xv = leaf(x);
        var g = grad_or_zeros(scalar_output(f, xv), xv, create_graph: true);
        if (!g.requires_grad) return zeros_like(xv).detach().MoveToOuterDisposeScope();
        var gv = (g.flatten() * v.detach().to_type(ScalarType.Float64).flatten()).sum();
        var hv = autograd.grad(new[] { gv }, new[] { xv }, allow_unused: true)[0];
        return (hv is null ? zeros_like(xv) : hv).detach().MoveToOuterDisposeScope();
    }

    /// <summary>∇f(x) by central differences <c>(f(x + ε·eᵢ) − f(x − ε·eᵢ)) / 2ε</c>, x's shape, float64 (2n evaluations, no autograd).</summary>
    /// <param name="f">A function with one output value.</param>
    /// <param name="x">The point.</param>
    /// <param name="eps">ε &gt; 0 (default 1e-6).</param>
    public static Tensor finite_difference_gradient(Func<Tensor, Tensor> f, Tensor x, double eps = 1e-6)
    {
        check_eps(eps);
        var shape = x.shape;
        var values = to_array(x);
        var result = new double[values.Length];
        using (no_grad())
        {
            for (int i = 0; i < values.Length; i++)
            {
                double xi = values[i];
                values[i] = xi + eps;
                double plus = evaluate(f, values, shape);
                values[i] = xi - eps;
                double minus = evaluate(f, values, shape);
                values[i] = xi;
                result[i] = (plus - minus) / (2 * eps);
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
    /// <param name="eps">ε &gt; 0 (default 1e-6).</param>
    public static Tensor finite_difference_jacobian(Func<Tensor, Tensor> g, Tensor x, double eps = 1e-6)
    {
        check_eps(eps);
        var shape = x.shape;
        var values = to_array(x);
        var columns = new Tensor[values.Length];
        using var scope = NewDisposeScope();
        for (int j = 0; j < values.Length; j++)
        {
            double xj = values[j];
            values[j] = xj + eps;
            var plus = g(tensor(values, shape, ScalarType.Float64)).detach().to_type(ScalarType.Float64).flatten();
            values[j] = xj - eps;
            var minus = g(tensor(values, shape, ScalarType.Float64)).detach().to_type(ScalarType.Float64).flatten();
            values[j] = xj;
            columns[j] = (plus - minus) / (2 * eps);
        }
        return stack(columns, 1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Checks a gradient. With <paramref name="analytic_gradient"/>: analytic vs autograd (exact tolerances),
    /// analytic vs finite differences, autograd vs finite differences. Without: autograd vs finite differences
    /// (PyTorch's gradcheck).
    /// </summary>
    /// <param name="f">A function with one output value, float64 input.</param>
    /// <param name="x">The point.</param>
    /// <param name="analytic_gradient">x ↦ ∇f(x) in closed form (x's shape or n entries), or null.</param>
    /// <param name="options">Tolerances and ε (defaults as PyTorch's gradcheck).</param>
    public static GradientCheckResult check_gradient(Func<Tensor, Tensor> f, Tensor x, Func<Tensor, Tensor>? analytic_gradient = null, GradientCheckOptions? options = null)
    {
        var o = options ?? GradientCheckOptions.defaults;
        o.validate();
        using var scope = NewDisposeScope();
        var x64 = x.detach().to_type(ScalarType.Float64).clone();
        var auto = gradient(f, x64);
        var numeric = finite_difference_gradient(f, x64, o.eps);
        var comparisons = new List<Comparison>();
        if (analytic_gradient is not null)
        {
            var analytic = evaluate_derivative(analytic_gradient, x64, x64.shape, "analytic gradient");
            comparisons.Add(compare("analytic vs autograd", analytic, auto, o.exact_atol, o.exact_rtol));
            comparisons.Add(compare("analytic vs finite differences", analytic, numeric, o.atol, o.rtol));
        }
        comparisons.Add(compare("autograd vs finite differences", auto, numeric, o.atol, o.rtol));
        return new GradientCheckResult("gradient", comparisons);
    }

    /// <summary>
    /// Checks a Hessian. With <paramref name="analytic_hessian"/>: analytic vs autograd double backward (exact
    /// tolerances), analytic vs finite differences of the autograd gradient, and the symmetry of the analytic
    /// Hessian. Without: autograd vs finite differences, and the symmetry of autograd's.
    /// </summary>
    /// <param name="f">A function with one output value, twice differentiable by autograd.</param>
    /// <param name="x">The point.</param>
    /// <param name="analytic_hessian">x ↦ ∇²f(x) in closed form, <c>(n, n)</c>, or null.</param>
    /// <param name="options">Tolerances and ε.</param>
    public static GradientCheckResult check_hessian(Func<Tensor, Tensor> f, Tensor x, Func<Tensor, Tensor>? analytic_hessian = null, GradientCheckOptions? options = null)
    {
        var o = options ?? GradientCheckOptions.defaults;
        o.validate();
        using var scope = NewDisposeScope();
        var x64 = x.detach().to_type(ScalarType.Float64).clone();
        long n = x64.numel();
        var auto = hessian(f, x64);
        var numeric = finite_difference_jacobian(p => gradient(f, p), x64, o.eps);
        var comparisons = new List<Comparison>();
        if (analytic_hessian is not null)
        {
            var analytic = evaluate_derivative(analytic_hessian, x64, new[] { n, n }, "analytic Hessian");
            comparisons.Add(compare("analytic vs autograd double backward", analytic, auto, o.exact_atol, o.exact_rtol));
            comparisons.Add(compare("analytic vs finite differences of autograd gradient", analytic, numeric, o.atol, o.rtol));
            comparisons.Add(compare("symmetry: analytic vs its transpose", analytic, analytic.t(), o.exact_atol, o.exact_rtol));
        }
        else
        {
            comparisons.Add(compare("autograd vs finite differences of autograd gradient", auto, numeric, o.atol, o.rtol));
            comparisons.Add(compare("symmetry: autograd vs its transpose", auto, auto.t(), o.exact_atol, o.exact_rtol));
        }
        return new GradientCheckResult("Hessian", comparisons);
    }

    /// <summary>Checks a Hessian-vector product: analytic vs autograd (exact tolerances) and vs finite differences of the autograd gradient along v.</summary>
    /// <param name="f">A function with one output value.</param>
    /// <param name="x">The point.</param>
    /// <param name="v">The direction, x's shape.</param>
    /// <param name="analytic_hvp">(x, v) ↦ ∇²f(x)·v in closed form.</param>
    /// <param name="options">Tolerances and ε.</param>
    public static GradientCheckResult check_hessian_vector_product(Func<Tensor, Tensor> f, Tensor x, Tensor v, Func<Tensor, Tensor, Tensor> analytic_hvp, GradientCheckOptions? options = null)
    {
        var o = options ?? GradientCheckOptions.defaults;
        o.validate();
        check_same_numel(x, v, nameof(v));
        using var scope = NewDisposeScope();
        var x64 = x.detach().to_type(ScalarType.Float64).clone();
        var v64 = v.detach().to_type(ScalarType.Float64).reshape(x64.shape);
        var auto = hessian_vector_product(f, x64, v64);
        var analytic = evaluate_derivative(p => analytic_hvp(p, v64), x64, x64.shape, "analytic Hessian-vector product");
        // d/dt ∇f(x + t·v) at t = 0, by central differences in t.
        var numeric = finite_difference_jacobian(t => gradient(f, x64 + t * v64), zeros(1, dtype: ScalarType.Float64), o.eps).reshape(x64.shape);
        return new GradientCheckResult("Hessian-vector product", new[]
        {
            compare("analytic vs autograd double backward", analytic, auto, o.exact_atol, o.exact_rtol),
            compare("analytic vs finite differences of autograd gradient", analytic, numeric, o.atol, o.rtol),
        });
    }

    /// <summary>
    /// PyTorch's <c>gradcheck</c>: true when the gradient (analytic if given, else autograd) matches central finite
    /// differences within <c>atol + rtol·|numerical|</c>; otherwise throws <see cref="GradientCheckException"/> with the
    /// report, or returns false when <paramref name="raise_exception"/> is false.
    /// </summary>
    /// <param name="f">A function with one output value.</param>
    /// <param name="x">The point.</param>
    /// <param name="analytic_gradient">x ↦ ∇f(x) in closed form, or null to check autograd itself.</param>
    /// <param name="eps">Finite-difference step (default 1e-6).</param>
    /// <param name="atol">Absolute tolerance (default 1e-5).</param>
    /// <param name="rtol">Relative tolerance (default 1e-3).</param>
    /// <param name="raise_exception">Throw on failure (default true, as PyTorch).</param>
    public static bool gradcheck(Func<Tensor, Tensor> f, Tensor x, Func<Tensor, Tensor>? analytic_gradient = null, double eps = 1e-6, double atol = 1e-5,
        double rtol = 1e-3, bool raise_exception = true)
    {
        var result = check_gradient(f, x, analytic_gradient, new GradientCheckOptions { eps = eps, atol = atol, rtol = rtol });
        if (!result.passed && raise_exception) throw new GradientCheckException(result);
        return result.passed;
    }

    /// <summary>
    /// Compares two tensors of the same number of entries: worst absolute and relative errors with their
    /// locations (in <paramref name="expected"/>'s shape), and pass when <c>|a − e| ≤ atol + rtol·|e|</c> everywhere.
    /// </summary>
    /// <param name="name">Label of the comparison.</param>
    /// <param name="actual">The values under test.</param>
    /// <param name="expected">The reference.</param>
    /// <param name="atol">Absolute tolerance.</param>
    /// <param name="rtol">Relative tolerance.</param>
    public static Comparison compare(string name, Tensor actual, Tensor expected, double atol, double rtol)
    {
        check_same_numel(expected, actual, nameof(actual));
        var a = to_array(actual);
        var e = to_array(expected);
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
            double rel = delta / Math.Max(Math.Abs(e[i]), atol);
            double ratio = delta / (atol + rtol * Math.Abs(e[i]));
            if (delta > maxAbs) (maxAbs, absAt) = (delta, i);
            if (rel > maxRel) (maxRel, relAt) = (rel, i);
            if (ratio > worst) (worst, worstAt) = (ratio, i);
            if (!(delta <= atol + rtol * Math.Abs(e[i]))) passed = false;
        }
        return new Comparison
        {
            name = name,
            shape = expected.shape,
            max_abs_error = maxAbs,
            max_abs_index = absAt,
            max_rel_error = maxRel,
            max_rel_index = relAt,
            worst_index = worstAt,
            actual_at_worst = e.Length == 0 ? 0 : a[worstAt],
            expected_at_worst = e.Length == 0 ? 0 : e[worstAt],
            atol = atol,
            rtol = rtol,
            passed = passed,
        };
    }

    private static Tensor leaf(Tensor x) => x.detach().to_type(ScalarType.Float64).clone().requires_grad_(true);

    private static Tensor scalar_output(Func<Tensor, Tensor> f, Tensor x)
    {
        var y = f(x);
        if (y.numel() != 1)
            throw new ArgumentException($"The function returned shape [{string.Join(", ", y.shape)}]; the checker needs a single value (reduce with sum() or mean()).", nameof(f));
        return y.reshape(Array.Empty<long>());
    }

    private static Tensor grad_or_zeros(Tensor y, Tensor x, bool create_graph)
    {
        if (!y.requires_grad) return zeros_like(x);
        var g = autograd.grad(new[] { y }, new[] { x }, retain_graph: create_graph, create_graph: create_graph, allow_unused: true)[0];
        return g is null ? zeros_like(x) : g.to_type(ScalarType.Float64);
    }

    private static Tensor evaluate_derivative(Func<Tensor, Tensor> derivative, Tensor x, long[] shape, string what)
    {
        Tensor value;
        using (no_grad()) value = derivative(x.clone()).detach().to_type(ScalarType.Float64);
        if (value.numel() != shape.Aggregate(1L, (p, s) => p * s))
            throw new ArgumentException($"The {what} has shape [{string.Join(", ", value.shape)}]; expected [{string.Join(", ", shape)}].");
        return value.reshape(shape);
    }

    private static double evaluate(Func<Tensor, Tensor> f, double[] values, long[] shape)
    {
        using var scope = NewDisposeScope();
        var y = f(tensor(values, shape, ScalarType.Float64));
        if (y.numel() != 1)
            throw new ArgumentException($"The function returned shape [{string.Join(", ", y.shape)}]; the checker needs a single value (reduce with sum() or mean()).", nameof(f));
        return y.detach().to_type(ScalarType.Float64).reshape(Array.Empty<long>()).item<double>();
    }

    private static double[] to_array(Tensor t)
    {
        using var scope = NewDisposeScope();
        return t.detach().to_type(ScalarType.Float64).cpu().contiguous().flatten().data<double>().ToArray();
    }

    private static void check_eps(double eps)
    {
        if (!(eps > 0) || !double.IsFinite(eps)) throw new ArgumentOutOfRangeException(nameof(eps), eps, $"eps = {eps} must be a finite number > 0 (try 1e-6).");
    }

    private static void check_same_numel(Tensor reference, Tensor other, string name)
    {
        if (other.numel() != reference.numel())
            throw new ArgumentException($"{name} has shape [{string.Join(", ", other.shape)}]; it needs the {reference.numel()} entries of [{string.Join(", ", reference.shape)}].", name);
    }
}
