using TorchLogistic.Data;
using TorchLogistic.Models;
using static TorchSharp.torch;

namespace TorchLogistic.Training;

/// <summary>
/// A trained classifier with everything needed to use it on raw data: the module, the class names, the
/// feature names, the polynomial expansion (if any), the scaler fitted on the expanded training rows (if any),
/// the options and the training result. Raw rows go through expansion, then scaling, then the module.
/// </summary>
public sealed class FittedModel : IDisposable
{
    /// <summary>Bundles a trained module with its metadata.</summary>
    /// <param name="module">The trained module; it takes the expanded (and scaled) features.</param>
    /// <param name="classes">Class names, one per class the module predicts.</param>
    /// <param name="featureNames">Names of the raw input features, in order.</param>
    /// <param name="scaler">Scaler of the expanded features, or null.</param>
    /// <param name="options">Training options.</param>
    /// <param name="result">How training went, or null for a loaded model.</param>
    /// <param name="polynomial">Polynomial expansion of the raw features, or null for none (degree 1).</param>
    /// <param name="memberResults">One-vs-rest only: how each member's training went, class k's first (default null).</param>
    public FittedModel(LinearClassifier module, string[] classes, string[] featureNames, StandardScaler? scaler,
        TrainingOptions options, TrainingResult? result, PolynomialFeatures? polynomial = null,
        IReadOnlyList<TrainingResult>? memberResults = null)
    {
        if (polynomial != null && polynomial.InputFeatureCount != featureNames.Length)
            throw new ArgumentException($"The polynomial expansion takes {polynomial.InputFeatureCount} features but {featureNames.Length} feature names were given.");
        int expanded = polynomial?.OutputFeatureCount ?? featureNames.Length;
        if (memberResults != null && (module is not OneVsRest || memberResults.Count != module.ClassCount))
            throw new ArgumentException($"{memberResults.Count} member results were given for a {module.GetType().Name} with {module.ClassCount} classes; they belong to a one-vs-rest model, one per class.");
        if (module.ClassCount != classes.Length)
            throw new ArgumentException($"The module predicts {module.ClassCount} classes but {classes.Length} class names were given.");
        if (module.FeatureCount != expanded)
            throw new ArgumentException($"The module takes {module.FeatureCount} features but {expanded} (expanded) features were given.");
        if (scaler != null && scaler.FeatureCount != expanded)
            throw new ArgumentException($"The scaler has {scaler.FeatureCount} features but the model has {expanded}.");
        this.Polynomial = polynomial is { Degree: > 1 } ? polynomial : null;
        this.Module = module;
        this.Classes = classes;
        this.FeatureNames = featureNames;
        this.Scaler = scaler;
        this.Options = options;
        this.Result = result;
        this.MemberResults = memberResults;
    }

    /// <summary>The trained module; it takes standardised features when <see cref="Scaler"/> is set.</summary>
    public LinearClassifier Module { get; }

    /// <summary>Class names; column k of <see cref="PredictProbabilities(Dataset)"/> is class k.</summary>
    public string[] Classes { get; }

    /// <summary>Names of the raw input features, in the order the model expects them.</summary>
    public string[] FeatureNames { get; }

    /// <summary>The polynomial expansion applied to raw rows before scaling, or null (degree 1).</summary>
    public PolynomialFeatures? Polynomial { get; }

    /// <summary>Names of the module's input features (the expanded ones; <see cref="FeatureNames"/> without expansion), one per coefficient.</summary>
    public string[] ModelFeatureNames => Polynomial?.FeatureNames(FeatureNames) ?? FeatureNames;

    /// <summary>The scaler fitted on the training rows, or null when features were not standardised.</summary>
    public StandardScaler? Scaler { get; }

    /// <summary>The options the model was trained with.</summary>
    public TrainingOptions Options { get; }

    /// <summary>How training went; null for a model loaded from a file.</summary>
    public TrainingResult? Result { get; }

    /// <summary>One-vs-rest: how each member's training went (class k's first); null otherwise and for a loaded model.</summary>
    public IReadOnlyList<TrainingResult>? MemberResults { get; }

    /// <summary>Class probabilities of the rows of <paramref name="data"/>, shape <c>(m, K)</c>; column k is <see cref="Classes"/>[k].</summary>
    public Probabilities PredictProbabilities(Dataset data) => PredictProbabilities(data.Features, data.SampleCount, data.FeatureCount);

    /// <summary>Class probabilities of raw (unscaled) rows given row-major <c>(n_samples, n_features)</c>, shape <c>(n_samples, K)</c>.</summary>
    public Probabilities PredictProbabilities(double[] features, int sampleCount, int featureCount) =>
        new(Apply(Module.PredictProbabilities, features, sampleCount, featureCount), Classes);

    /// <summary>
    /// One-vs-rest: each member's own probability of its class for the rows of <paramref name="data"/>, row-major
    /// <c>(m, K)</c>, before normalisation (rows need not sum to 1).
    /// </summary>
    /// <exception cref="InvalidOperationException">The model is not one-vs-rest.</exception>
    public double[] MemberProbabilities(Dataset data)
    {
        var ovr = Module as OneVsRest ?? throw new InvalidOperationException($"Member probabilities exist for one-vs-rest models; this one is {Module.GetType().Name}.");
        return Apply(ovr.MemberProbabilities, data.Features, data.SampleCount, data.FeatureCount);
    }

    /// <summary>Runs <paramref name="function"/> on raw rows (scaled here when the model has a scaler) and returns its float64 values.</summary>
    private double[] Apply(Func<Tensor, Tensor> function, double[] features, int sampleCount, int featureCount)
    {
        if (featureCount != FeatureNames.Length)
            throw new ArgumentException($"The data has {featureCount} features but the model was trained on {FeatureNames.Length} ({string.Join(", ", FeatureNames.Take(5))}{(FeatureNames.Length > 5 ? ", …" : "")}). Use data with the same columns.");
        using var scope = NewDisposeScope();
        double[] expanded = Polynomial?.Transform(features, sampleCount) ?? features;
        double[] x = Scaler?.Transform(expanded, sampleCount) ?? expanded;
        var xt = tensor(x, new long[] { sampleCount, Module.FeatureCount }, ScalarType.Float64).to_type(Module.DType);
        return function(xt).to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
    }

    /// <summary>
    /// This model's θ = [vec(W); b] re-expressed for a model that scales the same (expanded) features with
    /// <paramref name="newScaler"/>, so that both compute the same logits on every row — the start point of a warm
    /// start. With scaler (μ₁, σ₁) here and (μ₂, σ₂) there: <c>W' = W·σ₂/σ₁</c> and
    /// <c>b' = b + Σⱼ Wⱼ(μ₂ⱼ − μ₁ⱼ)/σ₁ⱼ</c> (μ = 0, σ = 1 without a scaler). A model without an intercept has no b to
    /// absorb the shift of centres, so only W is re-expressed: the same logits up to that shift, still a good start.
    /// </summary>
    /// <param name="newScaler">The scaler of the new model, or null when it does not scale.</param>
    public double[] ParametersFor(StandardScaler? newScaler)
    {
        double[] theta = Module.ParametersToVector();
        int d = (int)Module.FeatureCount, k = (int)Module.OutputCount;
        if (newScaler != null && newScaler.FeatureCount != d)
            throw new ArgumentException($"The new scaler has {newScaler.FeatureCount} features but the model has {d}.");
        var result = (double[])theta.Clone();
        for (int a = 0; a < k; a++)
        {
            double shift = 0;
            for (int j = 0; j < d; j++)
            {
                double rawWeight = theta[a * d + j] / (Scaler?.Scale[j] ?? 1);
                shift += rawWeight * ((newScaler?.Mean[j] ?? 0) - (Scaler?.Mean[j] ?? 0));
                result[a * d + j] = rawWeight * (newScaler?.Scale[j] ?? 1);
            }
            if (Module.FitIntercept) result[k * d + a] = theta[k * d + a] + shift;
        }
        return result;
    }

    /// <summary>The most probable class index of each row of <paramref name="data"/>.</summary>
    public int[] Predict(Dataset data) => PredictProbabilities(data).Argmax();

    /// <summary>Index of the largest entry of each row of a row-major <c>(m, K)</c> matrix (first on ties).</summary>
    public static int[] ArgmaxRows(double[] proba, int classCount)
    {
        int m = proba.Length / classCount;
        var result = new int[m];
        for (int i = 0; i < m; i++)
        {
            int best = 0;
            for (int k = 1; k < classCount; k++)
            {
                if (proba[i * classCount + k] > proba[i * classCount + best]) best = k;
            }
            result[i] = best;
        }
        return result;
    }

    /// <summary>Disposes the module.</summary>
    public void Dispose() => Module.Dispose();
}
