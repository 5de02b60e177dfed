using TorchLogistic.Calibration;
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
    /// <param name="encoding">How raw tabular columns become <paramref name="featureNames"/> (one-hot, fills), or null when the features are the file's numbers (default).</param>
    public FittedModel(LinearClassifier module, string[] classes, string[] featureNames, StandardScaler? scaler,
        TrainingOptions options, TrainingResult? result, PolynomialFeatures? polynomial = null,
        IReadOnlyList<TrainingResult>? memberResults = null, TabularEncoder? encoding = null)
    {
        if (encoding != null && !encoding.FeatureNames.SequenceEqual(featureNames))
            throw new ArgumentException($"The tabular encoder makes {encoding.FeatureCount} features ({string.Join(", ", encoding.FeatureNames.Take(5))}{(encoding.FeatureCount > 5 ? ", …" : "")}) that are not the model's feature names.");
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
        this.Encoding = encoding;
    }

    /// <summary>
    /// How raw columns of a tabular file become <see cref="FeatureNames"/> (categorical one-hot levels, missing-value
    /// fills, indicators), fitted on the training rows; null when the features are the file's numeric columns.
    /// </summary>
    public TabularEncoder? Encoding { get; }

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

    /// <summary>
    /// Class probabilities of sparse rows, shape <c>(m, K)</c>: blocks of rows made dense in turn (at most
    /// <see cref="SparseBlockEntries"/> values at once), each through the dense path, so memory stays bounded.
    /// </summary>
    /// <param name="data">Rows with the model's number of features.</param>
    public Probabilities PredictProbabilities(SparseDataset data)
    {
        if (data.FeatureCount != FeatureNames.Length)
            throw new ArgumentException($"The data has {data.FeatureCount} features but the model was trained on {FeatureNames.Length}. Use data with the model's features.");
        int k = Classes.Length, d = Math.Max(1, data.FeatureCount);
        int block = Math.Max(1, SparseBlockEntries / d);
        var values = new double[(long)data.SampleCount * k];
        for (int start = 0; start < data.SampleCount; start += block)
        {
            int count = Math.Min(block, data.SampleCount - start);
            PredictProbabilities(data.Features.ToDense(start, count), count, data.FeatureCount).Values.CopyTo(values, (long)start * k);
        }
        return new(values, Classes);
    }

    /// <summary>Most dense values <see cref="PredictProbabilities(SparseDataset)"/> makes at once (2²¹, 16 MB).</summary>
    public const int SparseBlockEntries = 1 << 21;

    /// <summary>
    /// Class probabilities of raw (unscaled) rows given row-major <c>(n_samples, n_features)</c>, shape <c>(n_samples, K)</c>:
    /// the module's, or, with a <see cref="Calibration"/>, the calibrated ones of its logits.
    /// </summary>
    public Probabilities PredictProbabilities(double[] features, int sampleCount, int featureCount) =>
        _calibration == null
            ? PredictUncalibratedProbabilities(features, sampleCount, featureCount)
            : new(_calibration.Probabilities(Apply(Module.forward, features, sampleCount, featureCount)), Classes);

    /// <summary>The module's own class probabilities of the rows of <paramref name="data"/>, <c>(m, K)</c>, ignoring any <see cref="Calibration"/>.</summary>
    public Probabilities PredictUncalibratedProbabilities(Dataset data) => PredictUncalibratedProbabilities(data.Features, data.SampleCount, data.FeatureCount);

    /// <summary>The module's own class probabilities of raw row-major rows, <c>(sampleCount, K)</c>, ignoring any <see cref="Calibration"/>.</summary>
    public Probabilities PredictUncalibratedProbabilities(double[] features, int sampleCount, int featureCount) =>
        new(Apply(Module.PredictProbabilities, features, sampleCount, featureCount), Classes);

    private ProbabilityCalibrator? _calibration;

    /// <summary>
    /// The calibration applied to the module's logits by <see cref="PredictProbabilities(double[], int, int)"/> (and so by every
    /// probability and prediction of this model), or null for the module's own probabilities. Stored in model files.
    /// </summary>
    /// <exception cref="ArgumentException">Set to a calibrator of another number of columns or input than this model's logits.</exception>
    public ProbabilityCalibrator? Calibration
    {
        get => _calibration;
        set
        {
            if (value != null && (value.Maps.Count != Module.OutputCount || value.Input != ProbabilityCalibrator.InputFor(Module)))
                throw new ArgumentException($"The calibrator takes {value.Maps.Count} {value.Input} columns; this {Module.GetType().Name} has {Module.OutputCount} logits ({ProbabilityCalibrator.InputFor(Module)}). Fit the calibrator on this model's logits.");
            _calibration = value;
        }
    }

    /// <summary>
    /// Class probabilities of the raw rows of <paramref name="table"/>, shape <c>(rows, K)</c>: the model's
    /// <see cref="Encoding"/> (one-hot levels, fills) applied first, or, without one, the table's numeric columns named
    /// <see cref="FeatureNames"/>. Other columns (such as a label) are ignored.
    /// </summary>
    /// <exception cref="DataFormatException">A missing column, a cell that is not a number, an unseen level or an unfillable missing cell.</exception>
    public Probabilities PredictProbabilities(TabularTable table) => PredictProbabilities(Encode(table), table.RowCount, FeatureNames.Length);

    /// <summary>The features of the raw rows of <paramref name="table"/>, row-major <c>(rows, FeatureNames.Length)</c>, as <see cref="PredictProbabilities(TabularTable)"/> makes them.</summary>
    public double[] Encode(TabularTable table)
    {
        var encoder = Encoding ?? new TabularEncoder(FeatureNames.Select(n => new ColumnEncoding(n, ColumnKind.Numeric, Array.Empty<string>(), null, null, false, 0)).ToArray(),
            MissingStrategy.Error, CategoricalDrop.None, UnknownLevels.Error);
        return encoder.Transform(table);
    }

    /// <summary>
    /// The logits (decision function) of the rows of <paramref name="data"/>, row-major <c>(m, outputs)</c>: one column
    /// (class 1's logit) for binary logistic regression, K for softmax and one-vs-rest — scikit-learn's
    /// <c>decision_function</c>.
    /// </summary>
    public double[] DecisionFunction(Dataset data) => Apply(Module.forward, data.Features, data.SampleCount, data.FeatureCount);

    /// <summary>
    /// One-vs-rest: each member's own probability of its class for the rows of <paramref name="data"/>, row-major
    /// <c>(m, K)</c>, before normalisation (rows need not sum to 1).
    /// </summary>
    /// <exception cref="InvalidOperationException">The model is not one-vs-rest.</exception>
    public double[] MemberProbabilities(Dataset data) => MemberProbabilities(data.Features, data.SampleCount, data.FeatureCount);

    /// <summary>One-vs-rest: each member's own probability σ(w_k·x + b_k) for raw row-major rows, <c>(sampleCount, K)</c>, before normalisation.</summary>
    /// <exception cref="InvalidOperationException">The model is not one-vs-rest.</exception>
    public double[] MemberProbabilities(double[] features, int sampleCount, int featureCount)
    {
        var ovr = Module as OneVsRest ?? throw new InvalidOperationException($"Member probabilities exist for one-vs-rest models; this one is {Module.GetType().Name}.");
        return Apply(ovr.MemberProbabilities, features, sampleCount, featureCount);
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
