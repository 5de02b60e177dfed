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
    /// <param name="feature_names">Names of the raw input features, in order.</param>
    /// <param name="scaler">Scaler of the expanded features, or null.</param>
    /// <param name="options">Training options.</param>
    /// <param name="result">How training went, or null for a loaded model.</param>
    /// <param name="polynomial">Polynomial expansion of the raw features, or null for none (degree 1).</param>
    /// <param name="member_results">One-vs-rest only: how each member's training went, class k's first (default null).</param>
    public FittedModel(LinearClassifier module, string[] classes, string[] feature_names, StandardScaler? scaler,
        TrainingOptions options, TrainingResult? result, PolynomialFeatures? polynomial = null,
        IReadOnlyList<TrainingResult>? member_results = null)
    {
        if (polynomial != null && polynomial.n_input_features != feature_names.Length)
            throw new ArgumentException($"The polynomial expansion takes {polynomial.n_input_features} features but {feature_names.Length} feature names were given.");
        int expanded = polynomial?.n_output_features ?? feature_names.Length;
        if (member_results != null && (module is not OneVsRest || member_results.Count != module.n_classes))
            throw new ArgumentException($"{member_results.Count} member results were given for a {module.GetType().Name} with {module.n_classes} classes; they belong to a one-vs-rest model, one per class.");
        if (module.n_classes != classes.Length)
            throw new ArgumentException($"The module predicts {module.n_classes} classes but {classes.Length} class names were given.");
        if (module.in_features != expanded)
            throw new ArgumentException($"The module takes {module.in_features} features but {expanded} (expanded) features were given.");
        if (scaler != null && scaler.n_features != expanded)
            throw new ArgumentException($"The scaler has {scaler.n_features} features but the model has {expanded}.");
        this.polynomial = polynomial is { degree: > 1 } ? polynomial : null;
        this.module = module;
        this.classes = classes;
        this.feature_names = feature_names;
        this.scaler = scaler;
        this.options = options;
        this.result = result;
        this.member_results = member_results;
    }

    /// <summary>The trained module; it takes standardised features when <see cref="scaler"/> is set.</summary>
    public LinearClassifier module { get; }

    /// <summary>Class names; column k of <see cref="predict_proba(Dataset)"/> is class k.</summary>
    public string[] classes { get; }

    /// <summary>Names of the raw input features, in the order the model expects them.</summary>
    public string[] feature_names { get; }

    /// <summary>The polynomial expansion applied to raw rows before scaling, or null (degree 1).</summary>
    public PolynomialFeatures? polynomial { get; }

    /// <summary>Names of the module's input features (the expanded ones; <see cref="feature_names"/> without expansion), one per coefficient.</summary>
    public string[] model_feature_names => polynomial?.feature_names(feature_names) ?? feature_names;

    /// <summary>The scaler fitted on the training rows, or null when features were not standardised.</summary>
    public StandardScaler? scaler { get; }

    /// <summary>The options the model was trained with.</summary>
    public TrainingOptions options { get; }

    /// <summary>How training went; null for a model loaded from a file.</summary>
    public TrainingResult? result { get; }

    /// <summary>One-vs-rest: how each member's training went (class k's first); null otherwise and for a loaded model.</summary>
    public IReadOnlyList<TrainingResult>? member_results { get; }

    /// <summary>Class probabilities of the rows of <paramref name="data"/>, shape <c>(m, K)</c>; column k is <see cref="classes"/>[k].</summary>
    public Probabilities predict_proba(Dataset data) => predict_proba(data.features, data.n_samples, data.n_features);

    /// <summary>Class probabilities of raw (unscaled) rows given row-major <c>(n_samples, n_features)</c>, shape <c>(n_samples, K)</c>.</summary>
    public Probabilities predict_proba(double[] features, int n_samples, int n_features) =>
        new(apply(module.predict_proba, features, n_samples, n_features), classes);

    /// <summary>
    /// One-vs-rest: each member's own probability of its class for the rows of <paramref name="data"/>, row-major
    /// <c>(m, K)</c>, before normalisation (rows need not sum to 1).
    /// </summary>
    /// <exception cref="InvalidOperationException">The model is not one-vs-rest.</exception>
    public double[] member_proba(Dataset data)
    {
        var ovr = module as OneVsRest ?? throw new InvalidOperationException($"Member probabilities exist for one-vs-rest models; this one is {module.GetType().Name}.");
        return apply(ovr.member_proba, data.features, data.n_samples, data.n_features);
    }

    /// <summary>Runs <paramref name="function"/> on raw rows (scaled here when the model has a scaler) and returns its float64 values.</summary>
    private double[] apply(Func<Tensor, Tensor> function, double[] features, int n_samples, int n_features)
    {
        if (n_features != feature_names.Length)
            throw new ArgumentException($"The data has {n_features} features but the model was trained on {feature_names.Length} ({string.Join(", ", feature_names.Take(5))}{(feature_names.Length > 5 ? ", …" : "")}). Use data with the same columns.");
        using var scope = NewDisposeScope();
        double[] expanded = polynomial?.transform(features, n_samples) ?? features;
        double[] x = scaler?.transform(expanded, n_samples) ?? expanded;
        var xt = tensor(x, new long[] { n_samples, module.in_features }, ScalarType.Float64).to_type(module.dtype);
        return function(xt).to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
    }

    /// <summary>
    /// This model's θ = [vec(W); b] re-expressed for a model that scales the same (expanded) features with
    /// <paramref name="new_scaler"/>, so that both compute the same logits on every row — the start point of a warm
    /// start. With scaler (μ₁, σ₁) here and (μ₂, σ₂) there: <c>W' = W·σ₂/σ₁</c> and
    /// <c>b' = b + Σⱼ Wⱼ(μ₂ⱼ − μ₁ⱼ)/σ₁ⱼ</c> (μ = 0, σ = 1 without a scaler).
    /// </summary>
    /// <param name="new_scaler">The scaler of the new model, or null when it does not scale.</param>
    public double[] parameters_for(StandardScaler? new_scaler)
    {
        double[] theta = module.parameters_to_vector();
        int d = (int)module.in_features, k = (int)module.n_outputs;
        if (new_scaler != null && new_scaler.n_features != d)
            throw new ArgumentException($"The new scaler has {new_scaler.n_features} features but the model has {d}.");
        var result = (double[])theta.Clone();
        for (int a = 0; a < k; a++)
        {
            double shift = 0;
            for (int j = 0; j < d; j++)
            {
                double rawWeight = theta[a * d + j] / (scaler?.scale[j] ?? 1);
                shift += rawWeight * ((new_scaler?.mean[j] ?? 0) - (scaler?.mean[j] ?? 0));
                result[a * d + j] = rawWeight * (new_scaler?.scale[j] ?? 1);
            }
            result[k * d + a] = theta[k * d + a] + shift;
        }
        return result;
    }

    /// <summary>The most probable class index of each row of <paramref name="data"/>.</summary>
    public int[] predict(Dataset data) => predict_proba(data).argmax();

    /// <summary>Index of the largest entry of each row of a row-major <c>(m, K)</c> matrix (first on ties).</summary>
    public static int[] argmax_rows(double[] proba, int n_classes)
    {
        int m = proba.Length / n_classes;
        var result = new int[m];
        for (int i = 0; i < m; i++)
        {
            int best = 0;
            for (int k = 1; k < n_classes; k++)
            {
                if (proba[i * n_classes + k] > proba[i * n_classes + best]) best = k;
            }
            result[i] = best;
        }
        return result;
    }

    /// <summary>Disposes the module.</summary>
    public void Dispose() => module.Dispose();
}
