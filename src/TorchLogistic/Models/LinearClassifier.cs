using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TorchLogistic.Models;

/// <summary>
/// Base of the linear classifiers: a <c>Linear(in_features, n_outputs)</c> whose output are logits,
/// <c>Z = X Wᵀ + b</c>. Parameters start at zero (the convex objective has one optimum; zero is the
/// reproducible start scikit-learn uses too). The flat parameter vector every solver sees is
/// <c>θ = [vec(W) row-major; b]</c>, the intercepts last.
/// </summary>
public abstract class LinearClassifier : nn.Module<Tensor, Tensor>
{
    private readonly Linear linear;

    /// <summary>Creates the linear layer; call from a derived constructor.</summary>
    /// <param name="name">Module name.</param>
    /// <param name="in_features">Number of input features d (≥ 1).</param>
    /// <param name="n_outputs">Number of logits K (1 for binary logistic regression).</param>
    /// <param name="dtype">Parameter dtype, float64 by default.</param>
    protected LinearClassifier(string name, long in_features, long n_outputs, ScalarType dtype) : base(name)
    {
        if (in_features < 1) throw new ArgumentOutOfRangeException(nameof(in_features), in_features, "A linear model needs at least one feature.");
        if (n_outputs < 1) throw new ArgumentOutOfRangeException(nameof(n_outputs), n_outputs, "A linear model needs at least one output.");
        if (dtype != ScalarType.Float64 && dtype != ScalarType.Float32)
            throw new ArgumentException($"dtype {dtype} is not supported; use float64 (default) or float32.", nameof(dtype));
        linear = nn.Linear(in_features, n_outputs, hasBias: true, dtype: dtype);
        using (no_grad())
        {
            linear.weight!.zero_();
            linear.bias!.zero_();
        }
        RegisterComponents();
    }

    /// <summary>Number of input features d.</summary>
    public long in_features => linear.in_features;

    /// <summary>Number of logits K.</summary>
    public long n_outputs => linear.out_features;

    /// <summary>Number of classes the model predicts.</summary>
    public abstract int n_classes { get; }

    /// <summary>Parameter dtype.</summary>
    public ScalarType dtype => linear.weight!.dtype;

    /// <summary>The coefficients W, shape <c>(K, d)</c>.</summary>
    public Parameter weight => linear.weight!;

    /// <summary>The intercepts b, shape <c>(K)</c>.</summary>
    public Parameter bias => linear.bias!;

    /// <summary>Number of entries of θ: K·d + K.</summary>
    public int n_parameters => checked((int)(n_outputs * in_features + n_outputs));

    /// <summary>The logits <c>X Wᵀ + b</c>, shape <c>(m, K)</c>.</summary>
    public override Tensor forward(Tensor x) => linear.call(x);

    /// <summary>Class probabilities, shape <c>(m, n_classes)</c>; each row sums to 1.</summary>
    public abstract Tensor predict_proba(Tensor x);

    /// <summary>The most probable class of each row, int64, shape <c>(m)</c>.</summary>
    public virtual Tensor predict(Tensor x)
    {
        using var scope = NewDisposeScope();
        return predict_proba(x).argmax(1).MoveToOuterDisposeScope();
    }

    /// <summary>θ = [vec(W); b] as float64 values (like <c>torch.nn.utils.parameters_to_vector</c>).</summary>
    public double[] parameters_to_vector()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var flat = cat(new[] { weight.flatten(), bias.flatten() }).to_type(ScalarType.Float64).cpu();
        return flat.data<double>().ToArray();
    }

    /// <summary>Copies θ = [vec(W); b] into the parameters (like <c>torch.nn.utils.vector_to_parameters</c>).</summary>
    public void vector_to_parameters(ReadOnlySpan<double> theta)
    {
        if (theta.Length != n_parameters)
            throw new ArgumentException($"Parameter vector has {theta.Length} entries; this model has {n_parameters} (K·d + K = {n_outputs}·{in_features} + {n_outputs}).");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        int kd = checked((int)(n_outputs * in_features));
        weight.copy_(tensor(theta[..kd].ToArray(), new[] { n_outputs, in_features }, ScalarType.Float64).to_type(dtype));
        bias.copy_(tensor(theta[kd..].ToArray(), new[] { n_outputs }, ScalarType.Float64).to_type(dtype));
    }
}
