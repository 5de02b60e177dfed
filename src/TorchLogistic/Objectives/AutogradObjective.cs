using TorchLogistic.Models;
using static TorchSharp.torch;

namespace TorchLogistic.Objectives;

/// <summary>
/// The objective of <see cref="LinearModelObjective"/> evaluated the PyTorch way: θ is copied into the
/// module, the module's forward gives the logits, TorchSharp's <c>binary_cross_entropy_with_logits</c> (K = 1)
/// or <c>cross_entropy</c> (K ≥ 2) gives the per-sample losses, <see cref="LinearModelObjective.smooth_value"/>
/// combines them, and autograd gives the gradient. Hessian-vector products use double backward.
/// </summary>
public sealed class AutogradObjective : IStochasticObjective, IDisposable
{
    private readonly LinearClassifier module;
    private readonly Tensor x;
    private readonly Tensor y;
    private readonly Tensor? s;
    private readonly long m;
    private readonly double l2;
    private double? lipschitz;
    private readonly double smoothing;

    /// <summary>Creates the objective over the rows of <paramref name="features"/> for <paramref name="model"/>.</summary>
    /// <param name="model">The module whose parameters θ sets; its dtype must equal the features'.</param>
    /// <param name="features">X, shape <c>(m, d)</c>.</param>
    /// <param name="labels">Class indices, int64, shape <c>(m)</c>.</param>
    /// <param name="penalty">The penalty and C.</param>
    /// <param name="sample_weight">sᵢ, shape <c>(m)</c>, or null.</param>
    /// <param name="label_smoothing">ε in [0, 1), passed to <c>cross_entropy</c>; for one output the target is <c>(1 − ε)·y + ε/2</c>. Default 0.</param>
    public AutogradObjective(LinearClassifier model, Tensor features, Tensor labels, Penalty penalty, Tensor? sample_weight = null, double label_smoothing = 0)
    {
        if (features.dim() != 2 || features.shape[1] != model.in_features)
            throw new ArgumentException($"Features have shape [{string.Join(", ", features.shape)}]; the model expects (m, {model.in_features}).");
        if (features.dtype != model.dtype)
            throw new ArgumentException($"Features are {features.dtype} but the model is {model.dtype}; use one dtype.");
        module = model;
        m = features.shape[0];
        this.penalty = penalty;
        l2 = penalty.l2_strength(m);
        x = features.detach().clone().DetachFromDisposeScope();
        if (!(label_smoothing >= 0 && label_smoothing < 1))
            throw new ArgumentOutOfRangeException(nameof(label_smoothing), label_smoothing, $"Label smoothing {label_smoothing} must be in [0, 1).");
        smoothing = label_smoothing;
        y = model.n_outputs == 1
            ? (labels.to_type(features.dtype) * (1 - label_smoothing) + label_smoothing / 2).detach().DetachFromDisposeScope()
            : labels.to_type(ScalarType.Int64).detach().clone().DetachFromDisposeScope();
        s = sample_weight?.to_type(features.dtype).detach().clone().DetachFromDisposeScope();
    }

    /// <summary>The penalty and C.</summary>
    public Penalty penalty { get; }

    /// <inheritdoc />
    public int n_parameters => module.n_parameters;

    /// <inheritdoc />
    public int n_penalized => checked((int)(module.n_outputs * module.in_features));

    /// <inheritdoc />
    public double l1_strength => penalty.l1_strength(m);

    /// <inheritdoc />
    public double l2_strength => l2;

    /// <inheritdoc />
    public bool is_hessian_supported => true;

    /// <inheritdoc />
    public long n_samples => m;

    /// <inheritdoc />
    public double lipschitz_bound() => lipschitz ??= LinearModelGeometry.lipschitz_bound(x, s, module.n_outputs, l2);

    /// <inheritdoc />
    public IReadOnlyList<double[]> null_directions => LinearModelGeometry.null_directions(module.n_outputs, module.in_features, l2);

    /// <inheritdoc />
    public double value(double[] theta)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        module.vector_to_parameters(theta);
        return forward_objective().to_type(ScalarType.Float64).item<double>();
    }

    /// <inheritdoc />
    public double value_and_gradient(double[] theta, double[] gradient)
    {
        using var scope = NewDisposeScope();
        module.vector_to_parameters(theta);
        module.zero_grad();
        var f = forward_objective();
        f.backward();
        copy_gradient(gradient);
        return f.to_type(ScalarType.Float64).item<double>();
    }

    /// <inheritdoc />
    public double value_and_gradient(double[] theta, double[] gradient, long[] rows)
    {
        if (rows.Length == 0) throw new ArgumentException("A mini-batch needs at least one row.", nameof(rows));
        using var scope = NewDisposeScope();
        var index = tensor(rows, ScalarType.Int64);
        module.vector_to_parameters(theta);
        module.zero_grad();
        var f = forward_objective(x.index_select(0, index), y.index_select(0, index), s?.index_select(0, index));
        f.backward();
        copy_gradient(gradient);
        return f.to_type(ScalarType.Float64).item<double>();
    }

    /// <inheritdoc />
    public double[] hessian(double[] theta)
    {
        int n = n_parameters;
        var h = new double[n * n];
        var e = new double[n];
        var column = new double[n];
        for (int j = 0; j < n; j++)
        {
            e[j] = 1;
            hessian_vector_product(theta, e, column);
            e[j] = 0;
            for (int i = 0; i < n; i++) h[i * n + j] = column[i];
        }
        return h;
    }

    /// <inheritdoc />
    public void hessian_vector_product(double[] theta, double[] v, double[] result)
    {
        using var scope = NewDisposeScope();
        module.vector_to_parameters(theta);
        var parameters = new[] { module.weight, module.bias };
        var f = forward_objective();
        var grads = autograd.grad(new[] { f }, parameters, retain_graph: true, create_graph: true);
        var flatGrad = cat(new[] { grads[0].flatten(), grads[1].flatten() });
        var vt = tensor(v, ScalarType.Float64).to_type(flatGrad.dtype);
        var hv = autograd.grad(new[] { flatGrad.dot(vt) }, parameters);
        var flat = cat(new[] { hv[0].flatten(), hv[1].flatten() }).to_type(ScalarType.Float64).contiguous();
        flat.data<double>().CopyTo(result);
    }

    /// <summary>Disposes the tensors the objective holds (not the module).</summary>
    public void Dispose()
    {
        x.Dispose();
        y.Dispose();
        s?.Dispose();
    }

    private Tensor forward_objective() => forward_objective(x, y, s);

    private Tensor forward_objective(Tensor xb, Tensor yb, Tensor? sb)
    {
        var logits = module.call(xb);
        var loss = module.n_outputs == 1
            ? nn.functional.binary_cross_entropy_with_logits(logits.squeeze(1), yb, reduction: nn.Reduction.None)
            : nn.functional.cross_entropy(logits, yb, reduction: nn.Reduction.None, label_smoothing: smoothing);
        return LinearModelObjective.smooth_value(loss, sb, module.weight, l2);
    }

    private void copy_gradient(double[] gradient)
    {
        using var _ = no_grad();
        var flat = cat(new[] { module.weight.grad!.flatten(), module.bias.grad!.flatten() }).to_type(ScalarType.Float64).contiguous();
        flat.data<double>().CopyTo(gradient);
    }
}
