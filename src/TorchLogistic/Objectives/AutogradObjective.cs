using TorchLogistic.Models;
using TorchLogistic.Native;
using static TorchSharp.torch;

namespace TorchLogistic.Objectives;

/// <summary>
/// The objective of <see cref="LinearModelObjective"/> evaluated the PyTorch way: θ is copied into the
/// module, the module's forward gives the logits, TorchSharp's <c>binary_cross_entropy_with_logits</c> (K = 1)
/// or <c>cross_entropy</c> (K ≥ 2) gives the per-sample losses, <see cref="LinearModelObjective.SmoothValue"/>
/// combines them, and autograd gives the gradient. Hessian-vector products use double backward.
/// </summary>
public sealed class AutogradObjective : IStochasticObjective, IDisposable
{
    private readonly LinearClassifier _module;
    private readonly Tensor _x;
    private readonly Tensor _y;
    private readonly Tensor? _s;
    private readonly long _m;
    private readonly double _l2;
    private double? _lipschitz;
    private readonly double _smoothing;

    /// <summary>Creates the objective over the rows of <paramref name="features"/> for <paramref name="model"/>.</summary>
    /// <param name="model">The module whose parameters θ sets; its dtype must equal the features'.</param>
    /// <param name="features">X, shape <c>(m, d)</c>.</param>
    /// <param name="labels">Class indices, int64, shape <c>(m)</c>.</param>
    /// <param name="penalty">The penalty and C.</param>
    /// <param name="sampleWeight">sᵢ, shape <c>(m)</c>, or null.</param>
    /// <param name="labelSmoothing">ε in [0, 1), passed to <c>cross_entropy</c>; for one output the target is <c>(1 − ε)·y + ε/2</c>. Default 0.</param>
    public AutogradObjective(LinearClassifier model, Tensor features, Tensor labels, global::TorchLogistic.Objectives.Penalty penalty, Tensor? sampleWeight = null, double labelSmoothing = 0)
    {
        if (features.dim() != 2 || features.shape[1] != model.FeatureCount)
            throw new ArgumentException($"Features have shape [{string.Join(", ", features.shape)}]; the model expects (m, {model.FeatureCount}).");
        if (features.dtype != model.DType)
            throw new ArgumentException($"Features are {features.dtype} but the model is {model.DType}; use one dtype.");
        _module = model;
        _m = features.shape[0];
        this.Penalty = penalty;
        _l2 = penalty.L2Strength(_m);
        _x = features.detach().clone().DetachFromDisposeScope();
        if (!(labelSmoothing >= 0 && labelSmoothing < 1))
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, $"Label smoothing {labelSmoothing} must be in [0, 1).");
        _smoothing = labelSmoothing;
        _y = model.OutputCount == 1
            ? labels.to_type(features.dtype).Times(1 - labelSmoothing).Plus(labelSmoothing / 2).detach().DetachFromDisposeScope()
            : labels.to_type(ScalarType.Int64).detach().clone().DetachFromDisposeScope();
        _s = sampleWeight?.to_type(features.dtype).detach().clone().DetachFromDisposeScope();
    }

    /// <summary>The penalty and C.</summary>
    public global::TorchLogistic.Objectives.Penalty Penalty { get; }

    /// <inheritdoc />
    public int ParameterCount => _module.ParameterCount;

    /// <inheritdoc />
    public int PenalizedCount => checked((int)(_module.OutputCount * _module.FeatureCount));

    /// <summary>Whether θ holds intercepts: the module's <see cref="LinearClassifier.FitIntercept"/>.</summary>
    public bool FitIntercept => _module.FitIntercept;

    /// <inheritdoc />
    public double L1Strength => Penalty.L1Strength(_m);

    /// <inheritdoc />
    public double L2Strength => _l2;

    /// <inheritdoc />
    public bool IsHessianSupported => true;

    /// <inheritdoc />
    public long SampleCount => _m;

    /// <inheritdoc />
    public double LipschitzBound() => _lipschitz ??= LinearModelGeometry.LipschitzBound(_x, _s, _module.OutputCount, _l2, FitIntercept);

    /// <inheritdoc />
    public IReadOnlyList<double[]> NullDirections => LinearModelGeometry.NullDirections(_module.OutputCount, _module.FeatureCount, _l2, FitIntercept);

    /// <inheritdoc />
    public double Value(double[] theta)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        _module.VectorToParameters(theta);
        return ForwardObjective().to_type(ScalarType.Float64).item<double>();
    }

    /// <inheritdoc />
    public double ValueAndGradient(double[] theta, double[] gradient)
    {
        using var scope = NewDisposeScope();
        _module.VectorToParameters(theta);
        _module.zero_grad();
        var f = ForwardObjective();
        f.backward();
        CopyGradient(gradient);
        return f.to_type(ScalarType.Float64).item<double>();
    }

    /// <inheritdoc />
    public double ValueAndGradient(double[] theta, double[] gradient, long[] rows)
    {
        if (rows.Length == 0) throw new ArgumentException("A mini-batch needs at least one row.", nameof(rows));
        using var scope = NewDisposeScope();
        var index = tensor(rows, ScalarType.Int64);
        _module.VectorToParameters(theta);
        _module.zero_grad();
        var f = ForwardObjective(_x.index_select(0, index), _y.index_select(0, index), _s?.index_select(0, index));
        f.backward();
        CopyGradient(gradient);
        return f.to_type(ScalarType.Float64).item<double>();
    }

    /// <inheritdoc />
    public double[] Hessian(double[] theta)
    {
        int n = ParameterCount;
        var h = new double[n * n];
        var e = new double[n];
        var column = new double[n];
        for (int j = 0; j < n; j++)
        {
            e[j] = 1;
            HessianVectorProduct(theta, e, column);
            e[j] = 0;
            for (int i = 0; i < n; i++) h[i * n + j] = column[i];
        }
        return h;
    }

    /// <inheritdoc />
    public void HessianVectorProduct(double[] theta, double[] v, double[] result)
    {
        using var scope = NewDisposeScope();
        _module.VectorToParameters(theta);
        var parameters = Parameters();
        var f = ForwardObjective();
        var grads = autograd.grad(new[] { f }, parameters, retain_graph: true, create_graph: true);
        var flatGrad = cat(grads.Select(g => g.flatten()).ToArray());
        var vt = tensor(v, ScalarType.Float64).to_type(flatGrad.dtype);
        var hv = autograd.grad(new[] { flatGrad.dot(vt) }, parameters);
        var flat = cat(hv.Select(h => h.flatten()).ToArray()).to_type(ScalarType.Float64).contiguous();
        flat.data<double>().CopyTo(result);
    }

    /// <summary>Disposes the tensors the objective holds (not the module).</summary>
    public void Dispose()
    {
        _x.Dispose();
        _y.Dispose();
        _s?.Dispose();
    }

    private Tensor ForwardObjective() => ForwardObjective(_x, _y, _s);

    private Tensor ForwardObjective(Tensor xb, Tensor yb, Tensor? sb)
    {
        var logits = _module.call(xb);
        var loss = _module.OutputCount == 1
            ? nn.functional.binary_cross_entropy_with_logits(logits.squeeze(1), yb, reduction: nn.Reduction.None)
            : nn.functional.cross_entropy(logits, yb, reduction: nn.Reduction.None, label_smoothing: _smoothing);
        return LinearModelObjective.SmoothValue(loss, sb, _module.Weight, _l2);
    }

    private void CopyGradient(double[] gradient)
    {
        using var _ = no_grad();
        var flat = cat(Parameters().Select(p => p.grad!.flatten()).ToArray()).to_type(ScalarType.Float64).contiguous();
        flat.data<double>().CopyTo(gradient);
    }

    /// <summary>θ's parameters in θ's order: W, then b when the module has one.</summary>
    private Tensor[] Parameters() => _module.Bias is { } bias ? new Tensor[] { _module.Weight, bias } : new Tensor[] { _module.Weight };
}
