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
    private sealed record Case(string name, Func<int, GradcheckSettings, List<(string check, GradientCheckResult result)>> run);

    /// <summary>A loss on given logits: our module, and TorchSharp's built-in for the same call (null where none exists).</summary>
    private sealed record LogitCall(LogitLoss module, Tensor input, Tensor target, Func<Tensor, Tensor>? builtin);

    /// <summary>A loss of Z = X Wᵀ + b with an L2 penalty ½λ‖W‖².</summary>
    private sealed record LinearCall(LogitLoss module, Tensor x, Tensor target, long n_outputs, Func<Tensor, Tensor>? builtin, double l2);

    /// <summary>The names of the cases, in the order they run.</summary>
    public static IReadOnlyList<string> case_names => cases().Select(c => c.name).ToList();

    /// <summary>Runs every case over the seeds; returns one row per case and check, also passed to <paramref name="on_row"/> as each case finishes.</summary>
    /// <param name="settings">Seeds, tolerances and the optional deliberate perturbation.</param>
    /// <param name="on_row">Called with each row as soon as it is known (progressive output).</param>
    public static IReadOnlyList<GradcheckRow> run(GradcheckSettings? settings = null, Action<GradcheckRow>? on_row = null)
    {
        var s = settings ?? new GradcheckSettings();
        s.validate();
        var selected = cases().Where(c => s.only is null || c.name.Contains(s.only, StringComparison.OrdinalIgnoreCase)).ToList();
        if (selected.Count == 0)
            throw new ArgumentException($"No case matches '{s.only}'. Cases: {string.Join("; ", case_names)}.");
        var rows = new List<GradcheckRow>();
        foreach (var c in selected)
        {
            var checks = new List<string>();
            var results = new Dictionary<string, List<(int, GradientCheckResult)>>();
            for (int seed = s.first_seed; seed < s.first_seed + s.seeds; seed++)
            {
                using var scope = NewDisposeScope();
                foreach (var (check, result) in c.run(seed, s))
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
                var row = GradcheckRow.of(c.name, check, results[check]);
                rows.Add(row);
                on_row?.Invoke(row);
            }
        }
        return rows;
    }

    private static IEnumerable<Case> cases()
    {
        // Losses with respect to their logits.
        yield return logit("bce", (r, g, red) =>
        {
            long n = r.Next(1, 9);
            var (z, y) = (uniform(g, 6, n), labels(g, 2, n).to_type(ScalarType.Float64));
            return new(new BinaryCrossEntropyWithLogits(reduction: red), z, y, t => F.binary_cross_entropy_with_logits(t, y, reduction: red));
        });
        yield return logit("bce weight, pos_weight, soft targets", (r, g, red) =>
        {
            long n = r.Next(1, 7), k = r.Next(1, 4);
            var (z, y, w, p) = (uniform(g, 6, n, k), between(g, 0, 1, n, k), between(g, 0.2, 2, n, 1), between(g, 0.5, 3, k));
            return new(new BinaryCrossEntropyWithLogits(w, red, p), z, y, t => F.binary_cross_entropy_with_logits(t, y, w, red, p));
        });
        yield return logit("bce balanced class weights, log2", (r, g, red) =>
        {
            long n = r.Next(2, 9);
            var (z, y) = (uniform(g, 6, n), labels(g, 2, n).to_type(ScalarType.Float64));
            return new(new BinaryCrossEntropyWithLogits(reduction: red, class_weight: BinaryClassWeights.balanced, log_base: 2), z, y, null);
        });
        yield return logit("bce ±1e4 logits, weight, pos_weight", (r, g, red) =>
        {
            long n = r.Next(2, 7), k = r.Next(1, 4);
            var (z, y, w, p) = (extreme(g, n, k), labels(g, 2, n, k).to_type(ScalarType.Float64), between(g, 0.2, 2, n, 1), between(g, 0.5, 3, k));
            return new(new BinaryCrossEntropyWithLogits(w, red, p), z, y, t => F.binary_cross_entropy_with_logits(t, y, w, red, p));
        }, extreme_logits: true);
        yield return logit("ce", (r, g, red) =>
        {
            long n = r.Next(1, 7), k = r.Next(2, 5);
            var (z, y) = (uniform(g, 6, n, k), labels(g, k, n));
            return new(new CategoricalCrossEntropy(reduction: red), z, y, t => F.cross_entropy(t, y, reduction: red));
        });
        yield return logit("ce weight, ignore_index, smoothing", (r, g, red) =>
        {
            long n = r.Next(2, 7), k = r.Next(2, 5);
            var (z, y, w) = (uniform(g, 6, n, k), labels(g, k, n), between(g, 0.2, 3, k));
            y.index_put_(tensor(-100L), TensorIndex.Single(0));
            return new(new CategoricalCrossEntropy(w, -100, red, 0.2), z, y, t => F.cross_entropy(t, y, w, -100, red, 0.2));
        });
        yield return logit("ce probabilities, weight, smoothing", (r, g, red) =>
        {
            long n = r.Next(1, 7), k = r.Next(2, 5);
            var (z, y, w) = (uniform(g, 6, n, k), uniform(g, 3, n, k).softmax(1), between(g, 0.2, 3, k));
            return new(new CategoricalCrossEntropy(w, -100, red, 0.1), z, y, t => F.cross_entropy(t, y, w, -100, red, 0.1));
        });
        yield return logit("ce (n, k, d) input, weight", (r, g, red) =>
        {
            long n = r.Next(1, 4), k = r.Next(2, 4), d = r.Next(1, 4);
            var (z, y, w) = (uniform(g, 6, n, k, d), labels(g, k, n, d), between(g, 0.2, 3, k));
            return new(new CategoricalCrossEntropy(w, reduction: red), z, y, t => F.cross_entropy(t, y, w, reduction: red));
        });
        yield return logit("ce ±1e4 logits, weight, smoothing", (r, g, red) =>
        {
            long n = r.Next(1, 7), k = r.Next(2, 5);
            var (z, y, w) = (extreme(g, n, k), labels(g, k, n), between(g, 0.2, 3, k));
            return new(new CategoricalCrossEntropy(w, -100, red, 0.1), z, y, t => F.cross_entropy(t, y, w, -100, red, 0.1));
        }, extreme_logits: true);
        yield return logit("soft margin", (r, g, red) =>
        {
            long n = r.Next(1, 7), k = r.Next(1, 4);
            var (z, y) = (uniform(g, 6, n, k), labels(g, 2, n, k).to_type(ScalarType.Float64) * 2 - 1);
            return new(new SoftMargin(red), z, y, t => F.soft_margin_loss(t, y, red));
        });
        // TorchSharp's soft_margin_loss overflows to ∞ at these logits, so autograd runs through the module here.
        yield return logit("soft margin ±1e4 logits", (r, g, red) =>
        {
            long n = r.Next(2, 7), k = r.Next(1, 4);
            var (z, y) = (extreme(g, n, k), labels(g, 2, n, k).to_type(ScalarType.Float64) * 2 - 1);
            return new(new SoftMargin(red), z, y, null);
        }, extreme_logits: true);
        yield return logit("multilabel soft margin, weight", (r, g, red) =>
        {
            long n = r.Next(1, 7), k = r.Next(1, 5);
            var (z, y, w) = (uniform(g, 6, n, k), labels(g, 2, n, k).to_type(ScalarType.Float64), between(g, 0.2, 3, k));
            return new(new MultiLabelSoftMargin(w, red), z, y, t => F.multilabel_soft_margin_loss(t, y, w, red));
        });
        yield return logit("multilabel soft margin ±1e4 logits", (r, g, red) =>
        {
            long n = r.Next(2, 7), k = r.Next(1, 5);
            var (z, y) = (extreme(g, n, k), labels(g, 2, n, k).to_type(ScalarType.Float64));
            return new(new MultiLabelSoftMargin(reduction: red), z, y, t => F.multilabel_soft_margin_loss(t, y, reduction: red));
        }, extreme_logits: true);

        // The losses of a linear model Z = X Wᵀ + b, with respect to θ = [vec(W); b].
        yield return linear("linear bce (logistic regression)", (r, g, x) =>
        {
            var y = labels(g, 2, x.shape[0]).to_type(ScalarType.Float64);
            return new(new BinaryCrossEntropyWithLogits(), x, y, 1, z => F.binary_cross_entropy_with_logits(z, y), 0);
        });
        yield return linear("linear bce weight, pos_weight, L2", (r, g, x) =>
        {
            var (y, w) = (labels(g, 2, x.shape[0]).to_type(ScalarType.Float64), between(g, 0.2, 2, x.shape[0]));
            var p = tensor(2.5);
            return new(new BinaryCrossEntropyWithLogits(w, pos_weight: p), x, y, 1, z => F.binary_cross_entropy_with_logits(z, y, w, pos_weights: p), 0.3);
        });
        yield return linear("linear bce balanced, ±1e3 features", (r, g, x) =>
        {
            var y = labels(g, 2, x.shape[0]).to_type(ScalarType.Float64);
            return new(new BinaryCrossEntropyWithLogits(class_weight: BinaryClassWeights.balanced), x * 500, y, 1, null, 0);
        });
        yield return linear("linear ce (softmax regression)", (r, g, x) =>
        {
            long k = r.Next(2, 5);
            var y = labels(g, k, x.shape[0]);
            return new(new CategoricalCrossEntropy(), x, y, k, z => F.cross_entropy(z, y), 0);
        });
        yield return linear("linear ce weight, smoothing, sum, L2", (r, g, x) =>
        {
            long k = r.Next(2, 5);
            var (y, w) = (labels(g, k, x.shape[0]), between(g, 0.2, 3, k));
            return new(new CategoricalCrossEntropy(w, -100, nn.Reduction.Sum, 0.1), x, y, k, z => F.cross_entropy(z, y, w, -100, nn.Reduction.Sum, 0.1), 0.3);
        });
        yield return linear("linear ce ±1e3 features", (r, g, x) =>
        {
            long k = r.Next(2, 5);
            var y = labels(g, k, x.shape[0]);
            return new(new CategoricalCrossEntropy(), x * 500, y, k, z => F.cross_entropy(z, y), 0);
        });
        yield return linear("linear soft margin, L2", (r, g, x) =>
        {
            var y = labels(g, 2, x.shape[0]).to_type(ScalarType.Float64) * 2 - 1;
            return new(new SoftMargin(), x, y, 1, z => F.soft_margin_loss(z, y), 0.3);
        });
        yield return linear("linear multilabel soft margin, weight, L2", (r, g, x) =>
        {
            long k = r.Next(1, 4);
            var (y, w) = (labels(g, 2, x.shape[0], k).to_type(ScalarType.Float64), between(g, 0.2, 3, k));
            return new(new MultiLabelSoftMargin(w), x, y, k, z => F.multilabel_soft_margin_loss(z, y, w), 0.3);
        });

        // The trainer's own analytic objective (what `train --gradients analytic` uses).
        yield return model("model logistic: train objective, L2", binary: true, weighted: false);
        yield return model("model logistic: train objective, sample weights", binary: true, weighted: true);
        yield return model("model softmax: train objective, L2", binary: false, weighted: false);
        yield return model("model softmax: train objective, sample weights", binary: false, weighted: true);
    }

    private static Case logit(string name, Func<Random, Generator, nn.Reduction, LogitCall> make, bool extreme_logits = false) => new(name, (seed, s) =>
    {
        var r = new Random(seed);
        var g = generator(seed);
        // Mean only at ±1e4: summed losses reach 1e5, whose rounding error over a 1e-6 step swamps any tolerance.
        var reduction = extreme_logits ? nn.Reduction.Mean : (nn.Reduction)(seed % 3);
        var call = make(r, g, reduction);
        using var module = call.module;
        var (z, y) = (call.input, call.target);
        Func<Tensor, Tensor> f = t => (call.builtin ?? (u => module.call(u, y)))(t).sum();
        var o = s.options;
        var checks = new List<(string, GradientCheckResult)>();
        if (call.builtin is not null)
            checks.Add(("value vs TorchSharp", new GradientCheckResult("value", new[] { GradientChecker.compare("value vs built-in", module.call(z, y), call.builtin(z), o.exact_atol, o.exact_rtol) })));
        checks.Add(("∇ logits", GradientChecker.check_gradient(f, z, t => perturbed(module.gradient(t, y), s.perturb), o)));
        checks.Add(("∇² logits", GradientChecker.check_hessian(f, z, t => perturbed(module.hessian(t, y), s.perturb), o)));
        checks.Add(("∇² logits PSD", psd(module.hessian(z, y))));
        var v = uniform(g, 1, z.shape);
        checks.Add(("H·v logits", GradientChecker.check_hessian_vector_product(f, z, v, (t, u) => perturbed(module.hessian_vector_product(t, y, u), s.perturb), o)));
        return checks;
    });

    private static Case linear(string name, Func<Random, Generator, Tensor, LinearCall> make) => new(name, (seed, s) =>
    {
        var r = new Random(seed);
        var g = generator(seed);
        long m = r.Next(2, 9), d = r.Next(1, 5);
        var call = make(r, g, uniform(g, 2, m, d));
        using var module = call.module;
        long k = call.n_outputs;
        bool vector = k == 1 && call.target.dim() == 1;
        var form = module.pointwise_form(vector ? zeros(m, dtype: ScalarType.Float64) : zeros(m, k, dtype: ScalarType.Float64), call.target);
        var loss = new LinearModelLoss(form.loss, d, k);
        Func<Tensor, Tensor> f = theta =>
        {
            var (w, b) = loss.unpack(theta);
            var z = call.x.matmul(w.t()) + b;
            if (vector) z = z.squeeze(1);
            var value = (call.builtin ?? (u => module.call(u, call.target)))(z);
            return call.l2 == 0 ? value : value + 0.5 * call.l2 * w.square().sum();
        };
        var theta0 = uniform(g, 1, loss.n_parameters);
        var (x, y, sw, l2) = (call.x, form.y_true, form.sample_weight, call.l2);
        var o = s.options;
        var checks = new List<(string, GradientCheckResult)>();
        if (call.builtin is not null)
            checks.Add(("value vs TorchSharp", new GradientCheckResult("value", new[] { GradientChecker.compare("value vs built-in", loss.loss(theta0, x, y, sw, l2), f(theta0), o.exact_atol, o.exact_rtol) })));
        checks.Add(("∇ θ", GradientChecker.check_gradient(f, theta0, t => perturbed(loss.gradient(t, x, y, sw, l2), s.perturb), o)));
        checks.Add(("∇² θ", GradientChecker.check_hessian(f, theta0, t => perturbed(loss.hessian(t, x, y, sw, l2), s.perturb), o)));
        checks.Add(("∇² θ PSD", psd(loss.hessian(theta0, x, y, sw, l2))));
        var v = uniform(g, 1, loss.n_parameters);
        checks.Add(("H·v θ", GradientChecker.check_hessian_vector_product(f, theta0, v, (t, u) => perturbed(loss.hessian_vector_product(t, u, x, y, sw, l2), s.perturb), o)));
        return checks;
    });

    private static Case model(string name, bool binary, bool weighted) => new(name, (seed, s) =>
    {
        var r = new Random(seed);
        var g = generator(seed);
        long m = r.Next(3, 10), d = r.Next(1, 5);
        int classes = binary ? 2 : r.Next(3, 5);
        int k = binary ? 1 : classes;
        var x = uniform(g, 2, m, d);
        var y = labels(g, classes, m);
        var sw = weighted ? between(g, 0.2, 2, m) : null;
        var penalty = Penalty.l2(C: 0.7);
        double l2 = penalty.l2_strength(m);
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
        int n = objective.n_parameters;
        var theta0 = uniform(g, 1, n);
        Tensor gradient(Tensor t)
        {
            var result = new double[n];
            objective.value_and_gradient(values(t), result);
            return tensor(result);
        }
        Tensor hessian(Tensor t) => tensor(objective.hessian(values(t)), new long[] { n, n });
        Tensor hvp(Tensor t, Tensor u)
        {
            var result = new double[n];
            objective.hessian_vector_product(values(t), values(u), result);
            return tensor(result);
        }
        var o = s.options;
        return new List<(string, GradientCheckResult)>
        {
            ("value vs TorchSharp", new GradientCheckResult("value", new[] { GradientChecker.compare("value vs built-in", tensor(objective.value(values(theta0))), f(theta0), o.exact_atol, o.exact_rtol) })),
            ("∇ θ", GradientChecker.check_gradient(f, theta0, t => perturbed(gradient(t), s.perturb), o)),
            ("∇² θ", GradientChecker.check_hessian(f, theta0, t => perturbed(hessian(t), s.perturb), o)),
            ("∇² θ PSD", psd(hessian(theta0))),
            ("H·v θ", GradientChecker.check_hessian_vector_product(f, theta0, uniform(g, 1, n), (t, u) => perturbed(hvp(t, u), s.perturb), o)),
        };
    });

    /// <summary>
    /// "Positive semi-definite": the negative eigenvalues compared with 0, within 1e-12 of the largest |eigenvalue|
    /// (at least 1e-12); the relative error reported is |λ_min| / max |λ|.
    /// </summary>
    private static GradientCheckResult psd(Tensor h)
    {
        var eigenvalues = linalg.eigvalsh(h.to_type(ScalarType.Float64));
        double largest = eigenvalues.abs().max().item<double>();
        var negative = eigenvalues.clamp_max(0);
        var c = GradientChecker.compare("PSD: eigenvalues ≥ 0", negative, zeros_like(negative), 1e-12 * Math.Max(1, largest), 0);
        return new GradientCheckResult("positive semi-definite", new[] { c with { max_rel_error = c.max_abs_error / Math.Max(largest, double.Epsilon), max_rel_index = c.max_abs_index } });
    }

    private static Tensor perturbed(Tensor t, double delta)
    {
        if (delta == 0) return t;
        var c = t.clone().contiguous();
        var flat = c.view(-1);
        flat.index_put_(flat[0] + delta, TensorIndex.Single(0));
        return c;
    }

    private static Generator generator(int seed) => new Generator((ulong)seed + 1);

    private static Tensor uniform(Generator g, double scale, params long[] shape) => (rand(shape, dtype: ScalarType.Float64, generator: g) * 2 - 1) * scale;

    private static Tensor between(Generator g, double low, double high, params long[] shape) => rand(shape, dtype: ScalarType.Float64, generator: g) * (high - low) + low;

    private static Tensor labels(Generator g, long classes, params long[] shape) => randint(0, classes, shape, generator: g);

    /// <summary>Logits with about half the entries at ±1e4 and the rest in [−4, 4].</summary>
    private static Tensor extreme(Generator g, params long[] shape)
    {
        var sign = rand(shape, dtype: ScalarType.Float64, generator: g) < 0.5;
        var big = rand(shape, dtype: ScalarType.Float64, generator: g) < 0.5;
        return where(big, where(sign, full(shape, 1e4, dtype: ScalarType.Float64), full(shape, -1e4, dtype: ScalarType.Float64)), uniform(g, 4, shape));
    }

    private static double[] values(Tensor t) => t.detach().to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
}
