using TorchLogistic.Data;
using TorchLogistic.Models;
using static TorchSharp.torch;

namespace TorchLogistic.Training;

/// <summary>
/// A trained classifier with everything needed to use it on raw data: the module, the class names, the
/// feature names, the scaler fitted on the training rows (if any), the options and the training result.
/// </summary>
public sealed class FittedModel : IDisposable
{
    /// <summary>Bundles a trained module with its metadata.</summary>
    public FittedModel(LinearClassifier module, string[] classes, string[] feature_names, StandardScaler? scaler,
        TrainingOptions options, TrainingResult? result)
    {
        if (module.n_classes != classes.Length)
            throw new ArgumentException($"The module predicts {module.n_classes} classes but {classes.Length} class names were given.");
        if (module.in_features != feature_names.Length)
            throw new ArgumentException($"The module takes {module.in_features} features but {feature_names.Length} feature names were given.");
        if (scaler != null && scaler.n_features != feature_names.Length)
            throw new ArgumentException($"The scaler has {scaler.n_features} features but the model has {feature_names.Length}.");
        this.module = module;
        this.classes = classes;
        this.feature_names = feature_names;
        this.scaler = scaler;
        this.options = options;
        this.result = result;
    }

    /// <summary>The trained module; it takes standardised features when <see cref="scaler"/> is set.</summary>
    public LinearClassifier module { get; }

    /// <summary>Class names; column k of <see cref="predict_proba(Dataset)"/> is class k.</summary>
    public string[] classes { get; }

    /// <summary>Feature names, in the order the model expects them.</summary>
    public string[] feature_names { get; }

    /// <summary>The scaler fitted on the training rows, or null when features were not standardised.</summary>
    public StandardScaler? scaler { get; }

    /// <summary>The options the model was trained with.</summary>
    public TrainingOptions options { get; }

    /// <summary>How training went; null for a model loaded from a file.</summary>
    public TrainingResult? result { get; }

    /// <summary>Class probabilities of the rows of <paramref name="data"/>, row-major <c>(m, K)</c>.</summary>
    public double[] predict_proba(Dataset data) => predict_proba(data.features, data.n_samples, data.n_features);

    /// <summary>Class probabilities of raw (unscaled) rows, row-major <c>(m, K)</c>.</summary>
    public double[] predict_proba(double[] features, int n_samples, int n_features)
    {
        if (n_features != feature_names.Length)
            throw new ArgumentException($"The data has {n_features} features but the model was trained on {feature_names.Length} ({string.Join(", ", feature_names.Take(5))}{(feature_names.Length > 5 ? ", …" : "")}). Use data with the same columns.");
        using var scope = NewDisposeScope();
        double[] x = scaler?.transform(features, n_samples) ?? features;
        var xt = tensor(x, new long[] { n_samples, n_features }, ScalarType.Float64).to_type(module.dtype);
        return module.predict_proba(xt).to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
    }

    /// <summary>The most probable class index of each row of <paramref name="data"/>.</summary>
    public int[] predict(Dataset data) => argmax_rows(predict_proba(data), classes.Length);

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
