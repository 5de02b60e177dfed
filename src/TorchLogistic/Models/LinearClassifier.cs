using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TorchLogistic.Models;

/// <summary>
/// Base of the linear classifiers: a <c>Linear(in_features, n_outputs)</c> whose output are logits,
/// <c>Z = X Wᵀ + b</c>. Parameters start at zero (the convex objective has one optimum; zero is the
/// reproducible start scikit-learn uses too). The flat parameter vector every solver sees is
/// <c>θ = [vec(W) row-major; b]</c>, the intercepts last. A model without an intercept
/// (<see cref="FitIntercept"/> false) has no b: <c>Z = X Wᵀ</c> and <c>θ = vec(W)</c>.
/// </summary>
public abstract class LinearClassifier : nn.Module<Tensor, Tensor>
{
    private readonly Linear _linear;

    /// <summary>Creates the linear layer; call from a derived constructor.</summary>
    /// <param name="name">Module name.</param>
    /// <param name="featureCount">Number of input features d (≥ 1).</param>
    /// <param name="outputCount">Number of logits K (1 for binary logistic regression).</param>
    /// <param name="dtype">Parameter dtype, float64 by default.</param>
    /// <param name="fitIntercept">Whether the layer has the intercepts b (scikit-learn's <c>fit_intercept</c>).</param>
    protected LinearClassifier(string name, long featureCount, long outputCount, ScalarType dtype, bool fitIntercept) : base(name)
    {
        if (featureCount < 1) throw new ArgumentOutOfRangeException(nameof(featureCount), featureCount, "A linear model needs at least one feature.");
        if (outputCount < 1) throw new ArgumentOutOfRangeException(nameof(outputCount), outputCount, "A linear model needs at least one output.");
        if (dtype != ScalarType.Float64 && dtype != ScalarType.Float32)
            throw new ArgumentException($"dtype {dtype} is not supported; use float64 (default) or float32.", nameof(dtype));
        _linear = nn.Linear(featureCount, outputCount, hasBias: fitIntercept, dtype: dtype);
        using (no_grad())
        {
            _linear.weight!.zero_();
            _linear.bias?.zero_();
        }
        RegisterComponents();
    }

    /// <summary>Number of input features d.</summary>
    public long FeatureCount => _linear.in_features;

    /// <summary>Number of logits K.</summary>
    public long OutputCount => _linear.out_features;

    /// <summary>Number of classes the model predicts.</summary>
    public abstract int ClassCount { get; }

    /// <summary>Parameter dtype.</summary>
    public ScalarType DType => _linear.weight!.dtype;

    /// <summary>The coefficients W, shape <c>(K, d)</c>.</summary>
    public Parameter Weight => _linear.weight!;

    /// <summary>The intercepts b, shape <c>(K)</c>; null for a model without an intercept.</summary>
    public Parameter? Bias => _linear.bias;

    /// <summary>Whether the model has intercepts b (false: <c>Z = X Wᵀ</c>, scikit-learn's <c>fit_intercept=False</c>).</summary>
    public bool FitIntercept => _linear.bias is not null;

    /// <summary>Number of entries of θ: K·d + K, or K·d without an intercept.</summary>
    public int ParameterCount => checked((int)(OutputCount * FeatureCount + (FitIntercept ? OutputCount : 0)));

    /// <summary>The logits <c>X Wᵀ + b</c> (<c>X Wᵀ</c> without an intercept), shape <c>(m, K)</c>.</summary>
    public override Tensor forward(Tensor x) => _linear.call(x);

    /// <summary>Class probabilities, shape <c>(m, n_classes)</c>; each row sums to 1.</summary>
    public abstract Tensor PredictProbabilities(Tensor x);

    /// <summary>The most probable class of each row, int64, shape <c>(m)</c>.</summary>
    public virtual Tensor Predict(Tensor x)
    {
        using var scope = NewDisposeScope();
        return PredictProbabilities(x).argmax(1).MoveToOuterDisposeScope();
    }

    /// <summary>θ = [vec(W); b] (vec(W) without an intercept) as float64 values (like <c>torch.nn.utils.parameters_to_vector</c>).</summary>
    public double[] ParametersToVector()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var flat = (Bias is null ? Weight.flatten() : cat(new[] { Weight.flatten(), Bias.flatten() })).to_type(ScalarType.Float64).cpu();
        return flat.data<double>().ToArray();
    }

    /// <summary>Copies θ = [vec(W); b] (vec(W) without an intercept) into the parameters (like <c>torch.nn.utils.vector_to_parameters</c>).</summary>
    public void VectorToParameters(ReadOnlySpan<double> theta)
    {
        if (theta.Length != ParameterCount)
            throw new ArgumentException($"Parameter vector has {theta.Length} entries; this model has {ParameterCount} ({(FitIntercept ? $"K·d + K = {OutputCount}·{FeatureCount} + {OutputCount}" : $"K·d = {OutputCount}·{FeatureCount}, no intercept")}).");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        int kd = checked((int)(OutputCount * FeatureCount));
        Weight.copy_(tensor(theta[..kd].ToArray(), new[] { OutputCount, FeatureCount }, ScalarType.Float64).to_type(DType));
        Bias?.copy_(tensor(theta[kd..].ToArray(), new[] { OutputCount }, ScalarType.Float64).to_type(DType));
    }
}
