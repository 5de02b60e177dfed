using TorchLogistic.Losses;
using TorchLogistic.Objectives;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace TorchLogistic.Checking;

/// <summary>
/// Runs <see cref="GradientChecker"/> over every built-in loss and model — what <c>torchlogistic gradcheck</c> prints.
/// For each case and seed (random shapes, the reduction cycling none → mean → sum with the seed, weights on and
/// off, logits up to ±1e4 in the extreme cases), all in float64:
/// <list type="bullet">
/// <item>the loss value against TorchSharp's built-in, where one exists for the options;</item>
/// <item>the closed-form gradient against autograd and central finite differences;</item>
/// <item>the closed-form Hessian against autograd's double backward and finite differences of the gradient, its
/// symmetry, and that it is positive semi-definite (all these losses are convex);</item>
/// <item>the closed-form Hessian-vector product against autograd and finite differences.</item>
/// </list>
/// Logit cases differentiate with respect to the loss's input; linear cases with respect to θ = [vec(W); b] of
/// Z = X Wᵀ + b through <see cref="LinearModelLoss"/>; model cases check the trainer's analytic objective
/// (<see cref="LinearModelObjective"/>). Autograd runs through TorchSharp's built-in loss where one exists for the
/// options, otherwise through the module's own forward.
/// </summary>
public static class BuiltinGradcheck
{
    private sealed record Case(string Name, Func<int, GradcheckSettings, List<(string check, GradientCheckResult result)>> Run);

    /// <summary>A loss on given logits: our module, and TorchSharp's built-in for the same call (null where none exists).</summary>
    private sealed record LogitCall(LogitLoss Module, Tensor Input, Tensor Target, Func<Tensor, Tensor>? Builtin);

    /// <summary>A loss of Z = X Wᵀ + b with an L2 penalty ½λ‖W‖².</summary>
    private sealed record LinearCall(LogitLoss Module, Tensor X, Tensor Target, long OutputCount, Func<Tensor, Tensor>? Builtin, double L2);

    /// <summary>The names of the cases, in the order they run.</summary>
    public static IReadOnlyList<string> CaseNames => Cases().Select(c => c.Name).ToList();

    /// <summary>Runs every case over the seeds; returns one row per case and check, also passed to <paramref name="onRow"/> as each case finishes.</summary>
    /// <param name="settings">Seeds, tolerances and the optional deliberate perturbation.</param>
    /// <param name="onRow">Called with each row as soon as it is known (progressive output).</param>
    public static IReadOnlyList<GradcheckRow> Run(GradcheckSettings? settings = null, Action<GradcheckRow>? onRow = null)
    {
        var s = settings ?? new GradcheckSettings();
        s.Validate();
        var selected = Cases().Where(c => s.Only is null || c.Name.Contains(s.Only, StringComparison.OrdinalIgnoreCase)).ToList();
        if (selected.Count == 0)
            throw new ArgumentException($"No case matches '{s.Only}'. Cases: {string.Join("; ", CaseNames)}.");
        var rows = new List<GradcheckRow>();
        foreach (var c in selected)
        {
            var checks = new List<string>();
            var results = new Dictionary<string, List<(int, GradientCheckResult)>>();
            for (int seed = s.FirstSeed; seed < s.FirstSeed + s.Seeds; seed++)
            {
                using var scope = NewDisposeScope();
                foreach (var (check, result) in c.Run(seed, s))
                {
                    if (!results.TryGetValue(check, out var list))
                    {
                        checks.Add(check);
                        results[check] = list = new List<(int, GradientCheckResult)>();
                    }
                    list.Add((seed, result));
                }
            }
            foreach (string check in checks)
            {
                var row = GradcheckRow.Of(c.Name, check, results[check]);
                rows.Add(row);
                onRow?.Invoke(row);
            }
        }
        return rows;
    }

    private static IEnumerable<Case> Cases()
    {
        // Losses with respect to their logits.
        yield return Logit("bce", (r, g, red) =>
        {
            long n = r.Next(1, 9);
            var (z, y) = (Uniform(g, 6, n), Labels(g, 2, n).to_type(ScalarType.Float64));
            return new(new BinaryCrossEntropyWithLogits(reduction: red), z, y, t => F.binary_cross_entropy_with_logits(t, y, reduction: red));
        });
        yield return Logit("bce weight, pos_weight, soft targets", (r, g, red) =>
        {
            long n = r.Next(1, 7), k = r.Next(1, 4);
            var (z, y, w, p) = (Uniform(g, 6, n, k), Between(g, 0, 1, n, k), Between(g, 0.2, 2, n, 1), Between(g, 0.5, 3, k));
            return new(new BinaryCrossEntropyWithLogits(w, red, p), z, y, t => F.binary_cross_entropy_with_logits(t, y, w, red, p));
        });
        yield return Logit("bce balanced class weights, log2", (r, g, red) =>
        {
            long n = r.Next(2, 9);
            var (z, y) = (Uniform(g, 6, n), Labels(g, 2, n).to_type(ScalarType.Float64));
            return new(new BinaryCrossEntropyWithLogits(reduction: red, classWeight: BinaryClassWeights.Balanced, logBase: 2), z, y, null);
        });
        yield return Logit("bce ±1e4 logits, weight, pos_weight", (r, g, red) =>
        {
            long n = r.Next(2, 7), k = r.Next(1, 4);
            var (z, y, w, p) = (Extreme(g, n, k), Labels(g, 2, n, k).to_type(ScalarType.Float64), Between(g, 0.2, 2, n, 1), Between(g, 0.5, 3, k));
            return new(new BinaryCrossEntropyWithLogits(w, red, p), z, y, t => F.binary_cross_entropy_with_logits(t, y, w, red, p));
        }, extremeLogits: true);
        yield return Logit("ce", (r, g, red) =>
        {
            long n = r.Next(1, 7), k = r.Next(2, 5);
            var (z, y) = (Uniform(g, 6, n, k), Labels(g, k, n));
            return new(new CategoricalCrossEntropy(reduction: red), z, y, t => F.cross_entropy(t, y, reduction: red));
        });
        yield return Logit("ce weight, ignore_index, smoothing", (r, g, red) =>
        {
            long n = r.Next(2, 7), k = r.Next(2, 5);
            var (z, y, w) = (Uniform(g, 6, n, k), Labels(g, k, n), Between(g, 0.2, 3, k));
            y.index_put_(tensor(-100L), TensorIndex.Single(0));
            return new(new CategoricalCrossEntropy(w, -100, red, 0.2), z, y, t => F.cross_entropy(t, y, w, -100, red, 0.2));
        });
        yield return Logit("ce probabilities, weight, smoothing", (r, g, red) =>
        {
            long n = r.Next(1, 7), k = r.Next(2, 5);
            var (z, y, w) = (Uniform(g, 6, n, k), Uniform(g, 3, n, k).softmax(1), Between(g, 0.2, 3, k));
            return new(new CategoricalCrossEntropy(w, -100, red, 0.1), z, y, t => F.cross_entropy(t, y, w, -100, red, 0.1));
        });
        yield return Logit("ce (n, k, d) input, weight", (r, g, red) =>
        {
            long n = r.Next(1, 4), k = r.Next(2, 4), d = r.Next(1, 4);
            var (z, y, w) = (Uniform(g, 6, n, k, d), Labels(g, k, n, d), Between(g, 0.2, 3, k));
            return new(new CategoricalCrossEntropy(w, reduction: red), z, y, t => F.cross_entropy(t, y, w, reduction: red));
        });
        yield return Logit("ce ±1e4 logits, weight, smoothing", (r, g, red) =>
        {
            long n = r.Next(1, 7), k = r.Next(2, 5);
            var (z, y, w) = (Extreme(g, n, k), Labels(g, k, n), Between(g, 0.2, 3, k));
            return new(new CategoricalCrossEntropy(w, -100, red, 0.1), z, y, t => F.cross_entropy(t, y, w, -100, red, 0.1));
        }, extremeLogits: true);
        yield return Logit("soft margin", (r, g, red) =>
        {
            long n = r.Next(1, 7), k = r.Next(1, 4);
            var (z, y) = (Uniform(g, 6, n, k), Labels(g, 2, n, k).to_type(ScalarType.Float64) * 2 - 1);
            return new(new SoftMargin(red), z, y, t => F.soft_margin_loss(t, y, red));
        });
        // TorchSharp's soft_margin_loss overflows to ∞ at these logits, so autograd runs through the module here.
        yield return Logit("soft margin ±1e4 logits", (r, g, red) =>
        {
            long n = r.Next(2, 7), k = r.Next(1, 4);
            var (z, y) = (Extreme(g, n, k), Labels(g, 2, n, k).to_type(ScalarType.Float64) * 2 - 1);
            return new(new SoftMargin(red), z, y, null);
        }, extremeLogits: true);
        yield return Logit("multilabel soft margin, weight", (r, g, red) =>
        {
            long n = r.Next(1, 7), k = r.Next(1, 5);
            var (z, y, w) = (Uniform(g, 6, n, k), Labels(g, 2, n, k).to_type(ScalarType.Float64), Between(g, 0.2, 3, k));
            return new(new MultiLabelSoftMargin(w, red), z, y, t => F.multilabel_soft_margin_loss(t, y, w, red));
        });
        yield return Logit("multilabel soft margin ±1e4 logits", (r, g, red) =>
        {
            long n = r.Next(2, 7), k = r.Next(1, 5);
            var (z, y) = (Extreme(g, n, k), Labels(g, 2, n, k).to_type(ScalarType.Float64));
            return new(new MultiLabelSoftMargin(reduction: red), z, y, t => F.multilabel_soft_margin_loss(t, y, reduction: red));
        }, extremeLogits: true);

        // The losses of a linear model Z = X Wᵀ + b, with respect to θ = [vec(W); b].
        yield return Linear("linear bce (logistic regression)", (r, g, x) =>
        {
            var y = Labels(g, 2, x.shape[0]).to_type(ScalarType.Float64);
            return new(new BinaryCrossEntropyWithLogits(), x, y, 1, z => F.binary_cross_entropy_with_logits(z, y), 0);
        });
        yield return Linear("linear bce weight, pos_weight, L2", (r, g, x) =>
        {
            var (y, w) = (Labels(g, 2, x.shape[0]).to_type(ScalarType.Float64), Between(g, 0.2, 2, x.shape[0]));
            var p = tensor(2.5);
            return new(new BinaryCrossEntropyWithLogits(w, positiveWeight: p), x, y, 1, z => F.binary_cross_entropy_with_logits(z, y, w, pos_weights: p), 0.3);
        });
        yield return Linear("linear bce balanced, ±1e3 features", (r, g, x) =>
        {
            var y = Labels(g, 2, x.shape[0]).to_type(ScalarType.Float64);
            return new(new BinaryCrossEntropyWithLogits(classWeight: BinaryClassWeights.Balanced), x * 500, y, 1, null, 0);
        });
        yield return Linear("linear ce (softmax regression)", (r, g, x) =>
        {
            long k = r.Next(2, 5);
            var y = Labels(g, k, x.shape[0]);
            return new(new CategoricalCrossEntropy(), x, y, k, z => F.cross_entropy(z, y), 0);
        });
        yield return Linear("linear ce weight, smoothing, sum, L2", (r, g, x) =>
        {
            long k = r.Next(2, 5);
            var (y, w) = (Labels(g, k, x.shape[0]), Between(g, 0.2, 3, k));
            return new(new CategoricalCrossEntropy(w, -100, nn.Reduction.Sum, 0.1), x, y, k, z => F.cross_entropy(z, y, w, -100, nn.Reduction.Sum, 0.1), 0.3);
        });
        yield return Linear("linear ce ±1e3 features", (r, g, x) =>
        {
            long k = r.Next(2, 5);
            var y = Labels(g, k, x.shape[0]);
            return new(new CategoricalCrossEntropy(), x * 500, y, k, z => F.cross_entropy(z, y), 0);
        });
        yield return Linear("linear soft margin, L2", (r, g, x) =>
        {
            var y = Labels(g, 2, x.shape[0]).to_type(ScalarType.Float64) * 2 - 1;
            return new(new SoftMargin(), x, y, 1, z => F.soft_margin_loss(z, y), 0.3);
        });
        yield return Linear("linear multilabel soft margin, weight, L2", (r, g, x) =>
        {
            long k = r.Next(1, 4);
            var (y, w) = (Labels(g, 2, x.shape[0], k).to_type(ScalarType.Float64), Between(g, 0.2, 3, k));
            return new(new MultiLabelSoftMargin(w), x, y, k, z => F.multilabel_soft_margin_loss(z, y, w), 0.3);
        });

        // The trainer's own analytic objective (what `train --gradients analytic` uses).
        yield return Model("model logistic: train objective, L2", binary: true, weighted: false);
        yield return Model("model logistic: train objective, sample weights", binary: true, weighted: true);
        yield return Model("model softmax: train objective, L2", binary: false, weighted: false);
        yield return Model("model softmax: train objective, sample weights", binary: false, weighted: true);
    }

    private static Case Logit(string name, Func<Random, global::TorchSharp.torch.Generator, nn.Reduction, LogitCall> make, bool extremeLogits = false) => new(name, (seed, s) =>
    {
        var r = new Random(seed);
        var g = Generator(seed);
        // Mean only at ±1e4: summed losses reach 1e5, whose rounding error over a 1e-6 step swamps any tolerance.
        var reduction = extremeLogits ? nn.Reduction.Mean : (nn.Reduction)(seed % 3);
        var call = make(r, g, reduction);
        using var module = call.Module;
        var (z, y) = (call.Input, call.Target);
        Func<Tensor, Tensor> f = t => (call.Builtin ?? (u => module.call(u, y)))(t).sum();
        var o = s.Options;
        var checks = new List<(string, GradientCheckResult)>();
        if (call.Builtin is not null)
            checks.Add(("value vs TorchSharp", new GradientCheckResult("value", new[] { GradientChecker.Compare("value vs built-in", module.call(z, y), call.Builtin(z), o.ExactAbsoluteTolerance, o.ExactRelativeTolerance) })));
        checks.Add(("∇ logits", GradientChecker.CheckGradient(f, z, t => Perturbed(module.Gradient(t, y), s.Perturb), o)));
        checks.Add(("∇² logits", GradientChecker.CheckHessian(f, z, t => Perturbed(module.Hessian(t, y), s.Perturb), o)));
        checks.Add(("∇² logits PSD", Psd(module.Hessian(z, y))));
        var v = Uniform(g, 1, z.shape);
        checks.Add(("H·v logits", GradientChecker.CheckHessianVectorProduct(f, z, v, (t, u) => Perturbed(module.HessianVectorProduct(t, y, u), s.Perturb), o)));
        return checks;
    });

    private static Case Linear(string name, Func<Random, global::TorchSharp.torch.Generator, Tensor, LinearCall> make) => new(name, (seed, s) =>
    {
        var r = new Random(seed);
        var g = Generator(seed);
        long m = r.Next(2, 9), d = r.Next(1, 5);
        var call = make(r, g, Uniform(g, 2, m, d));
        using var module = call.Module;
        long k = call.OutputCount;
        bool vector = k == 1 && call.Target.dim() == 1;
        var form = module.PointwiseForm(vector ? zeros(m, dtype: ScalarType.Float64) : zeros(m, k, dtype: ScalarType.Float64), call.Target);
        var loss = new LinearModelLoss(form.Loss, d, k);
        Func<Tensor, Tensor> f = theta =>
        {
            var (w, b) = loss.Unpack(theta);
            var z = call.X.matmul(w.t()) + b!;
            if (vector) z = z.squeeze(1);
            var value = (call.Builtin ?? (u => module.call(u, call.Target)))(z);
            return call.L2 == 0 ? value : value + 0.5 * call.L2 * w.square().sum();
        };
        var theta0 = Uniform(g, 1, loss.ParameterCount);
        var (x, y, sw, l2) = (call.X, form.YTrue, form.SampleWeight, call.L2);
        var o = s.Options;
        var checks = new List<(string, GradientCheckResult)>();
        if (call.Builtin is not null)
            checks.Add(("value vs TorchSharp", new GradientCheckResult("value", new[] { GradientChecker.Compare("value vs built-in", loss.Loss(theta0, x, y, sw, l2), f(theta0), o.ExactAbsoluteTolerance, o.ExactRelativeTolerance) })));
        checks.Add(("∇ θ", GradientChecker.CheckGradient(f, theta0, t => Perturbed(loss.Gradient(t, x, y, sw, l2), s.Perturb), o)));
        checks.Add(("∇² θ", GradientChecker.CheckHessian(f, theta0, t => Perturbed(loss.Hessian(t, x, y, sw, l2), s.Perturb), o)));
        checks.Add(("∇² θ PSD", Psd(loss.Hessian(theta0, x, y, sw, l2))));
        var v = Uniform(g, 1, loss.ParameterCount);
        checks.Add(("H·v θ", GradientChecker.CheckHessianVectorProduct(f, theta0, v, (t, u) => Perturbed(loss.HessianVectorProduct(t, u, x, y, sw, l2), s.Perturb), o)));
        return checks;
    });

    private static Case Model(string name, bool binary, bool weighted) => new(name, (seed, s) =>
    {
        var r = new Random(seed);
        var g = Generator(seed);
        long m = r.Next(3, 10), d = r.Next(1, 5);
        int classes = binary ? 2 : r.Next(3, 5);
        int k = binary ? 1 : classes;
        var x = Uniform(g, 2, m, d);
        var y = Labels(g, classes, m);
        var sw = weighted ? Between(g, 0.2, 2, m) : null;
        var penalty = Penalty.L2(c: 0.7);
        double l2 = penalty.L2Strength(m);
        using var objective = new LinearModelObjective(x, y, k, penalty, sw);
        Func<Tensor, Tensor> f = theta =>
        {
            var w = theta.narrow(0, 0, k * d).view(k, d);
            var z = F.linear(x, w, theta.narrow(0, k * d, k));
            var perSample = binary
                ? F.binary_cross_entropy_with_logits(z.squeeze(1), y.to_type(ScalarType.Float64), reduction: nn.Reduction.None)
                : F.cross_entropy(z, y, reduction: nn.Reduction.None);
            return (sw is null ? perSample : sw * perSample).sum() / m + 0.5 * l2 * w.square().sum();
        };
        int n = objective.ParameterCount;
        var theta0 = Uniform(g, 1, n);
        Tensor Gradient(Tensor t)
        {
            var result = new double[n];
            objective.ValueAndGradient(Values(t), result);
            return tensor(result);
        }
        Tensor Hessian(Tensor t) => tensor(objective.Hessian(Values(t)), new long[] { n, n });
        Tensor Hvp(Tensor t, Tensor u)
        {
            var result = new double[n];
            objective.HessianVectorProduct(Values(t), Values(u), result);
            return tensor(result);
        }
        var o = s.Options;
        return new List<(string, GradientCheckResult)>
        {
            ("value vs TorchSharp", new GradientCheckResult("value", new[] { GradientChecker.Compare("value vs built-in", tensor(objective.Value(Values(theta0))), f(theta0), o.ExactAbsoluteTolerance, o.ExactRelativeTolerance) })),
            ("∇ θ", GradientChecker.CheckGradient(f, theta0, t => Perturbed(Gradient(t), s.Perturb), o)),
            ("∇² θ", GradientChecker.CheckHessian(f, theta0, t => Perturbed(Hessian(t), s.Perturb), o)),
            ("∇² θ PSD", Psd(Hessian(theta0))),
            ("H·v θ", GradientChecker.CheckHessianVectorProduct(f, theta0, Uniform(g, 1, n), (t, u) => Perturbed(Hvp(t, u), s.Perturb), o)),
        };
    });

    /// <summary>
    /// "Positive semi-definite": the negative eigenvalues compared with 0, within 1e-12 of the largest |eigenvalue|
    /// (at least 1e-12); the relative error reported is |λ_min| / max |λ|.
    /// </summary>
    private static GradientCheckResult Psd(Tensor h)
    {
        var eigenvalues = linalg.eigvalsh(h.to_type(ScalarType.Float64));
        double largest = eigenvalues.abs().max().item<double>();
        var negative = eigenvalues.clamp_max(0);
        var c = GradientChecker.Compare("PSD: eigenvalues ≥ 0", negative, zeros_like(negative), 1e-12 * Math.Max(1, largest), 0);
        return new GradientCheckResult("positive semi-definite", new[] { c with { MaxRelError = c.MaxAbsError / Math.Max(largest, double.Epsilon), MaxRelIndex = c.MaxAbsIndex } });
    }

    private static Tensor Perturbed(Tensor t, double delta)
    {
        if (delta == 0) return t;
        var c = t.clone().contiguous();
        var flat = c.view(-1);
        flat.index_put_(flat[0] + delta, TensorIndex.Single(0));
        return c;
    }

    private static global::TorchSharp.torch.Generator Generator(int seed) => new global::TorchSharp.torch.Generator((ulong)seed + 1);

    private static Tensor Uniform(global::TorchSharp.torch.Generator g, double scale, params long[] shape) => (rand(shape, dtype: ScalarType.Float64, generator: g) * 2 - 1) * scale;

    private static Tensor Between(global::TorchSharp.torch.Generator g, double low, double high, params long[] shape) => rand(shape, dtype: ScalarType.Float64, generator: g) * (high - low) + low;

    private static Tensor Labels(global::TorchSharp.torch.Generator g, long classes, params long[] shape) => randint(0, classes, shape, generator: g);

    /// <summary>Logits with about half the entries at ±1e4 and the rest in [−4, 4].</summary>
    private static Tensor Extreme(global::TorchSharp.torch.Generator g, params long[] shape)
    {
        var sign = rand(shape, dtype: ScalarType.Float64, generator: g) < 0.5;
        var big = rand(shape, dtype: ScalarType.Float64, generator: g) < 0.5;
        return where(big, where(sign, full(shape, 1e4, dtype: ScalarType.Float64), full(shape, -1e4, dtype: ScalarType.Float64)), Uniform(g, 4, shape));
    }

    private static double[] Values(Tensor t) => t.detach().to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
}
