using System.Text.Json;
using System.Text.Json.Nodes;
using TorchLogistic.Data;
using TorchLogistic.IO;
using TorchLogistic.Models;
using TorchLogistic.Training;

namespace TorchLogistic.Export;

/// <summary>
/// A fitted model as plain JSON (docs/export.md): every step from raw columns to probabilities, with its parameters.
/// <code>
/// format "torchlogistic-export", version 1, model logistic|softmax|ovr, dtype, classes [K],
/// tabular     null, or raw columns → feature_names (model.bin's "tabular" object: fills, levels, indicators)
/// feature_names [d]          the model's input features (after any tabular encoding)
/// polynomial  null, or {degree, powers [d' × d]}: expanded feature t = Πⱼ x_j^powers[t][j]
/// model_feature_names [d']   after the expansion; one per coefficient column
/// scaler      null, or {mean [d'], scale [d']}: x' = (x − mean) / scale
/// coef [K' × d'], intercept [K']   z = x' coefᵀ + intercept (K' = 1 for logistic; intercept 0 when fit_intercept
///                            is false); omitted beside a .pt
/// calibration only when calibrated: model.bin's "calibration" object (method, input, maps), applied to z
/// options     the training options, as in model.bin
/// </code>
/// </summary>
public static class ExportDocument
{
    /// <summary>The value of the <c>format</c> key.</summary>
    public const string FormatName = "torchlogistic-export";

    /// <summary>The version written and the newest read.</summary>
    public const int Version = 1;

    /// <summary>The document of <paramref name="model"/>; without <paramref name="includeParameters"/> the coef and intercept are left out (they travel in a state_dict).</summary>
    public static JsonObject ToJson(FittedModel model, bool includeParameters = true)
    {
        var doc = new JsonObject
        {
            ["format"] = FormatName,
            ["version"] = Version,
            ["model"] = ModelFile.KindName(model.Module),
            ["fit_intercept"] = model.Module.FitIntercept,
            ["dtype"] = model.Module.DType == TorchSharp.torch.ScalarType.Float32 ? "float32" : "float64",
            ["classes"] = Strings(model.Classes),
            ["tabular"] = model.Encoding == null ? null : ModelFile.TabularToJson(model.Encoding),
            ["feature_names"] = Strings(model.FeatureNames),
            ["polynomial"] = model.Polynomial == null ? null : new JsonObject
            {
                ["degree"] = model.Polynomial.Degree,
                ["powers"] = new JsonArray(Powers(model).Select(row => (JsonNode)new JsonArray(row.Select(p => (JsonNode)p).ToArray())).ToArray()),
            },
            ["model_feature_names"] = Strings(model.ModelFeatureNames),
            ["scaler"] = model.Scaler == null ? null : new JsonObject
            {
                ["mean"] = Numbers(model.Scaler.Mean),
                ["scale"] = Numbers(model.Scaler.Scale),
            },
        };
        if (includeParameters)
        {
            var (coef, intercept) = Parameters(model);
            int d = (int)model.Module.FeatureCount;
            doc["coef"] = new JsonArray(Enumerable.Range(0, intercept.Length).Select(k => (JsonNode)Numbers(coef.AsSpan(k * d, d).ToArray())).ToArray());
            doc["intercept"] = Numbers(intercept);
        }
        if (model.Calibration != null) doc["calibration"] = ModelFile.CalibrationToJson(model.Calibration);
        doc["options"] = ModelFile.OptionsToJson(model.Options);
        return doc;
    }

    /// <summary>The document as indented UTF-8 text.</summary>
    public static string ToText(FittedModel model, bool includeParameters = true) =>
        ToJson(model, includeParameters).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";

    /// <summary>Writes the document of <paramref name="model"/> to <paramref name="path"/> atomically.</summary>
    public static void Save(FittedModel model, string path) => AtomicFile.WriteAllText(path, ToText(model));

    /// <summary>
    /// The model a document describes, with θ = [vec(W); b] given (from a state_dict) or read from its coef and intercept.
    /// </summary>
    /// <exception cref="ModelFormatException">Not an export document, a newer version, or inconsistent contents.</exception>
    /// <param name="text">The document.</param>
    /// <param name="source">Names the document in messages.</param>
    /// <param name="theta">θ = [vec(W); b], or null to read the document's coef and intercept.</param>
    /// <param name="requireParameters">False: a document without coef and intercept gives a model with zero parameters (the shape of a state_dict to read).</param>
    public static FittedModel FromJson(string text, string source, double[]? theta = null, bool requireParameters = true)
    {
        JsonObject doc;
        try
        {
            doc = JsonNode.Parse(text) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException e)
        {
            throw new ModelFormatException($"'{source}' is not a TorchLogistic export document (not JSON: {e.Message}). Pass the .json that ExportDocument.Save or PyTorchExport.Save wrote.");
        }
        if ((string?)(doc["format"] as JsonValue) != FormatName)
            throw new ModelFormatException($"'{source}' is not a TorchLogistic export document (its \"format\" is not \"{FormatName}\"). Pass the .json that ExportDocument.Save or PyTorchExport.Save wrote.");
        int version = doc["version"] is JsonValue v && v.TryGetValue(out int n) ? n : 0;
        if (version > Version || version < 1)
            throw new ModelFormatException($"'{source}' has export version {version}; this TorchLogistic reads 1 to {Version}. Upgrade TorchLogistic or export again.");
        try
        {
            string kind = (string)doc["model"]!;
            var dtype = (string)doc["dtype"]! == "float32" ? TorchSharp.torch.ScalarType.Float32 : TorchSharp.torch.ScalarType.Float64;
            string[] classes = doc["classes"]!.AsArray().Select(c => (string)c!).ToArray();
            string[] featureNames = doc["feature_names"]!.AsArray().Select(c => (string)c!).ToArray();
            var encoding = doc["tabular"] is JsonObject tabular ? ModelFile.TabularFromJson(tabular) : null;
            var polynomial = doc["polynomial"] is JsonObject poly ? new PolynomialFeatures(featureNames.Length, (int)poly["degree"]!) : null;
            var scaler = doc["scaler"] is JsonObject sc ? new StandardScaler(Doubles(sc["mean"]!), Doubles(sc["scale"]!)) : null;
            bool intercept = doc["fit_intercept"] is not JsonNode interceptNode || (bool)interceptNode;
            var options = ModelFile.OptionsFromJson(doc["options"]!.AsObject()) with { FitIntercept = intercept };
            long d = polynomial?.OutputFeatureCount ?? featureNames.Length;
            LinearClassifier module = kind switch
            {
                "logistic" when classes.Length == 2 => new LogisticRegression(d, dtype, intercept),
                "softmax" when classes.Length >= 2 => new SoftmaxRegression(d, classes.Length, dtype, intercept),
                "ovr" when classes.Length >= 2 => new OneVsRest(d, classes.Length, dtype, intercept),
                _ => throw new ModelFormatException($"'{source}' holds an unknown model '{kind}' with {classes.Length} classes. Upgrade TorchLogistic or export again."),
            };
            if (theta == null && doc["coef"] == null)
            {
                if (requireParameters)
                {
                    module.Dispose();
                    throw new ModelFormatException($"'{source}' has no coef and intercept: it is the preprocessing of a PyTorch state_dict. Pass the .pt beside it.");
                }
                theta = new double[module.ParameterCount];
            }
            theta ??= doc["coef"]!.AsArray().SelectMany(row => Doubles(row!)).Concat(intercept ? Doubles(doc["intercept"]!) : Array.Empty<double>()).ToArray();
            if (theta.Length != module.ParameterCount)
            {
                module.Dispose();
                throw new ModelFormatException($"'{source}' describes a {kind} model with {module.OutputCount}×{d} coefficients and {module.OutputCount} intercepts, but {theta.Length} parameters were given. Export the model again.");
            }
            module.VectorToParameters(theta);
            var model = new FittedModel(module, classes, featureNames, scaler, options, result: null, polynomial, encoding: encoding);
            if (doc["calibration"] is JsonObject calibration) model.Calibration = ModelFile.CalibrationFromJson(calibration);
            return model;
        }
        catch (Exception e) when (e is not ModelFormatException)
        {
            throw new ModelFormatException($"'{source}' is not a consistent TorchLogistic export document: {e.Message} Export the model again.", e);
        }
    }

    /// <summary>The module's coefficients (row-major <c>K' × d'</c>) and intercepts (<c>K'</c>; zeros for a model without intercept) as float64.</summary>
    public static (double[] Coef, double[] Intercept) Parameters(FittedModel model)
    {
        double[] theta = model.Module.ParametersToVector();
        int kd = (int)(model.Module.OutputCount * model.Module.FeatureCount);
        return (theta[..kd], model.Module.FitIntercept ? theta[kd..] : new double[model.Module.OutputCount]);
    }

    /// <summary>The polynomial expansion as exponents, <c>d' × d</c>: row t holds how often each input feature appears in term t (scikit-learn's <c>powers_</c>); the identity without expansion.</summary>
    public static long[][] Powers(FittedModel model)
    {
        int d = model.FeatureNames.Length;
        IEnumerable<int[]> terms = model.Polynomial?.TermIndices ?? Enumerable.Range(0, d).Select(j => new[] { j });
        return terms.Select(t =>
        {
            var row = new long[d];
            foreach (int j in t) row[j]++;
            return row;
        }).ToArray();
    }

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)v).ToArray());

    private static JsonArray Numbers(IEnumerable<double> values) => new(values.Select(v => (JsonNode)v).ToArray());

    private static double[] Doubles(JsonNode array) => array.AsArray().Select(v => (double)v!).ToArray();
}
