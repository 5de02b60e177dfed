using System.Text.Json;
using TorchLogistic.Calibration;
using TorchLogistic.Data;
using TorchLogistic.IO;
using TorchLogistic.Models;
using TorchLogistic.Training;

namespace TorchLogistic.Export;

/// <summary>
/// Writes a fitted model as one ONNX graph that takes raw rows and does everything <see cref="FittedModel.PredictProbabilities(double[], int, int)"/>
/// does: one float32 input <c>(N, 1)</c> per feature column, named as the column; the columns concatenated; the
/// polynomial expansion (one Gather per factor position and degree, multiplied, in scikit-learn's order); the
/// standardisation <c>(x − mean) / scale</c>; the linear layer (Gemm, <c>X Wᵀ + b</c>); then sigmoid (binary:
/// <c>[1 − σ, σ]</c>), softmax, or one-vs-rest's member sigmoids normalised by their sum — or, for a calibrated model,
/// the calibration of the logits (<see cref="FittedModel.Calibration"/>: Platt's <c>σ(−(a·z + b))</c>, or isotonic
/// interpolation as <c>y₀ + Σᵢ slopeᵢ·(min(max(z, xᵢ), xᵢ₊₁) − xᵢ)</c>, then <c>[1 − p, p]</c> or normalised by the sum). Outputs:
/// <c>probabilities</c> float32 <c>(N, K)</c> and <c>label</c>, the class name of the largest probability (first on
/// ties), string <c>(N)</c>. Metadata: <c>feature_names</c> and <c>classes</c> (JSON arrays) and <c>model</c>.
/// <para>
/// Opset <see cref="Opset"/> of ai.onnx, IR version <see cref="IrVersion"/>: loaded by ONNX Runtime 1.x and by
/// ML.NET's <c>ApplyOnnxModel</c>. Inputs and outputs are float32; the arithmetic in between is float64 by default
/// (<see cref="OnnxArithmetic"/>), as the library's own predictions are.
/// </para>
/// </summary>
public static class OnnxExport
{
    /// <summary>The ai.onnx operator set the graph uses.</summary>
    public const long Opset = 13;

    /// <summary>The ONNX IR version written (IR 7 is the one of opset 13).</summary>
    public const long IrVersion = 7;

    /// <summary>Name of the output holding the class probabilities, float32 <c>(N, K)</c>.</summary>
    public const string ProbabilitiesOutput = "probabilities";

    /// <summary>Name of the output holding the predicted class names, string <c>(N)</c>.</summary>
    public const string LabelOutput = "label";

    /// <summary>Writes the ONNX file of <paramref name="model"/> to <paramref name="path"/> atomically.</summary>
    /// <param name="model">The fitted model.</param>
    /// <param name="path">Destination, conventionally <c>model.onnx</c>.</param>
    /// <param name="arithmetic">Precision inside the graph (default float64; inputs and outputs are float32 either way).</param>
    public static void Save(FittedModel model, string path, OnnxArithmetic arithmetic = OnnxArithmetic.Float64) =>
        AtomicFile.WriteAllBytes(path, ToBytes(model, arithmetic));

    /// <summary>The ONNX file's bytes (a serialized ModelProto) for <paramref name="model"/>.</summary>
    public static byte[] ToBytes(FittedModel model, OnnxArithmetic arithmetic = OnnxArithmetic.Float64) => Build(model, arithmetic).ToBytes();

    /// <summary>The op types of the graph's nodes, in order (e.g. <c>Concat, Cast, Sub, Div, Gemm, Softmax, ArgMax, Cast, Gather</c>).</summary>
    public static IReadOnlyList<string> NodeList(FittedModel model, OnnxArithmetic arithmetic = OnnxArithmetic.Float64) =>
        Build(model, arithmetic).Nodes.Select(n => n.Domain.Length > 0 ? $"{n.Domain}.{n.OpType}" : n.OpType).ToArray();

    internal static OnnxModelProto Build(FittedModel model, OnnxArithmetic arithmetic)
    {
        var g = new OnnxGraphBuilder();
        var real = arithmetic == OnnxArithmetic.Float64 ? OnnxDataType.Double : OnnxDataType.Float;
        string x = RawFeatures(g, model, real);
        if (model.Polynomial != null) x = PolynomialStep(g, model, x);
        if (model.Scaler != null) x = ScalerStep(g, model, x, real);
        string logits = LinearStep(g, model, x, real);
        string probabilities = model.Calibration == null ? ProbabilityStep(g, model, logits, real) : CalibrationStep(g, model.Calibration, logits, real);
        LabelStep(g, model, probabilities);
        if (real != OnnxDataType.Float)
            g.Add("Cast", ProbabilitiesOutput, new[] { probabilities }, new[] { new OnnxAttribute("to", Int: (long)OnnxDataType.Float) }, output: ProbabilitiesOutput);
        g.Output(ProbabilitiesOutput, OnnxDataType.Float, null, model.Classes.Length);
        var metadata = new List<KeyValuePair<string, string>>
        {
            new("feature_names", JsonSerializer.Serialize(model.FeatureNames)),
            new("classes", JsonSerializer.Serialize(model.Classes)),
            new("model", ModelFile.KindName(model.Module)),
        };
        if (model.Encoding != null) metadata.Add(new("columns", JsonSerializer.Serialize(model.Encoding.Columns.Select(c => c.Name))));
        var opsets = new List<KeyValuePair<string, long>> { new("", Opset) };
        if (g.Nodes.Any(n => n.Domain == MlDomain)) opsets.Add(new(MlDomain, MlOpset));
        return new OnnxModelProto("torchlogistic", g.Nodes, g.Initializers, g.Inputs, g.Outputs, metadata, IrVersion, opsets,
            "TorchLogistic", typeof(OnnxExport).Assembly.GetName().Version?.ToString() ?? "0");
    }

    /// <summary>The ai.onnx.ml domain (OneHotEncoder and other classic-ML operators).</summary>
    internal const string MlDomain = "ai.onnx.ml";

    /// <summary>The ai.onnx.ml operator set used when the graph needs it.</summary>
    internal const long MlOpset = 3;

    /// <summary>The raw rows as one real matrix of the model's (encoded) features, <c>(N, FeatureNames.Length)</c>.</summary>
    private static string RawFeatures(OnnxGraphBuilder g, FittedModel model, OnnxDataType real)
    {
        if (model.Encoding is { } encoding)
            return Concat(g, "features", encoding.Columns.Select(c => c.Kind == ColumnKind.Numeric ? NumericColumn(g, c, real) : CategoricalColumn(g, encoding, c, real)).ToArray());
        var inputs = model.FeatureNames.Select(name => g.Input(name, OnnxDataType.Float, 1)).ToArray();
        return ToReal(g, Concat(g, "features", inputs), real);
    }

    /// <summary>A numeric column: float32 <c>(N, 1)</c> with NaN for a missing cell, filled (Where over IsNaN), then its 0/1 indicator.</summary>
    private static string NumericColumn(OnnxGraphBuilder g, ColumnEncoding column, OnnxDataType real)
    {
        string value = ToReal(g, g.Input(column.Name, OnnxDataType.Float, 1), real);
        if (column.NumericFill == null && !column.HasIndicator) return value;
        string missing = g.Add("IsNaN", $"{column.Name}_is_missing", new[] { value });
        string filled = column.NumericFill is double fill
            ? g.Add("Where", $"{column.Name}_filled", new[] { missing, g.Constant($"{column.Name}_fill", name => OnnxTensor.Real(name, real, new[] { fill }, 1)), value })
            : value;
        if (!column.HasIndicator) return filled;
        string indicator = g.Add("Cast", $"{column.Name}_missing", new[] { missing }, new[] { new OnnxAttribute("to", Int: (long)real) });
        return Concat(g, $"{column.Name}_encoded", new[] { filled, indicator });
    }

    /// <summary>
    /// A categorical column: string <c>(N, 1)</c>, a missing cell written as one of <see cref="TabularTable.MissingTokens"/>. A fill
    /// replaces the missing tokens (ai.onnx.ml LabelEncoder), ai.onnx.ml OneHotEncoder encodes the levels (an unseen
    /// level fails, or gives zeros when unknown levels are ignored), the first level is dropped if the model drops it,
    /// then the indicator: the missing tokens one-hot encoded and summed.
    /// </summary>
    private static string CategoricalColumn(OnnxGraphBuilder g, TabularEncoder encoder, ColumnEncoding column, OnnxDataType real)
    {
        string input = g.Input(column.Name, OnnxDataType.String, 1);
        string[] levels = column.Levels.ToArray();
        string cells = input;
        if (column.LevelFill is string fill)
        {
            string unknown = "<unknown>";
            while (levels.Contains(unknown, StringComparer.Ordinal)) unknown += "_";
            cells = g.Add("LabelEncoder", $"{column.Name}_filled", new[] { input }, new[]
            {
                new OnnxAttribute("keys_strings", Strings: levels.Concat(TabularTable.MissingTokens).ToArray()),
                new OnnxAttribute("values_strings", Strings: levels.Concat(TabularTable.MissingTokens.Select(_ => fill)).ToArray()),
                new OnnxAttribute("default_string", Text: unknown),
            }, MlDomain);
        }
        string oneHot = g.Add("OneHotEncoder", $"{column.Name}_one_hot", new[] { cells }, new[]
        {
            new OnnxAttribute("cats_strings", Strings: levels),
            new OnnxAttribute("zeros", Int: encoder.HandleUnknown == UnknownLevels.Ignore ? 1 : 0),
        }, MlDomain);
        // OneHotEncoder appends the level axis: (N, 1) → (N, 1, L).
        string shape = g.Constant($"{column.Name}_shape", name => OnnxTensor.Int64(name, new[] { -1L, levels.Length }, 2));
        string encoded = g.Add("Reshape", $"{column.Name}_levels", new[] { oneHot, shape });
        if (column.FirstEncodedLevel > 0)
        {
            long[] kept = Enumerable.Range(column.FirstEncodedLevel, levels.Length - column.FirstEncodedLevel).Select(i => (long)i).ToArray();
            string index = g.Constant($"{column.Name}_kept_levels", name => OnnxTensor.Int64(name, kept, kept.Length));
            encoded = g.Add("Gather", $"{column.Name}_levels_kept", new[] { encoded, index }, new[] { new OnnxAttribute("axis", Int: 1) });
        }
        encoded = ToReal(g, encoded, real);
        if (!column.HasIndicator) return encoded;
        string tokens = g.Add("OneHotEncoder", $"{column.Name}_missing_tokens", new[] { input }, new[]
        {
            new OnnxAttribute("cats_strings", Strings: TabularTable.MissingTokens.ToArray()),
            new OnnxAttribute("zeros", Int: 1),
        }, MlDomain);
        string axes = g.Constant($"{column.Name}_token_axis", name => OnnxTensor.Int64(name, new[] { 2L }, 1));
        string indicator = g.Add("ReduceSum", $"{column.Name}_missing", new[] { tokens, axes }, new[] { new OnnxAttribute("keepdims", Int: 0) });
        return Concat(g, $"{column.Name}_encoded", new[] { encoded, ToReal(g, indicator, real) });
    }


    private static string Concat(OnnxGraphBuilder g, string hint, string[] parts) =>
        parts.Length == 1 ? parts[0] : g.Add("Concat", hint, parts, new[] { new OnnxAttribute("axis", Int: 1) });

    /// <summary><paramref name="value"/> (float32) in the graph's arithmetic: a Cast unless that is float32.</summary>
    private static string ToReal(OnnxGraphBuilder g, string value, OnnxDataType real) =>
        real == OnnxDataType.Float ? value : g.Add("Cast", $"{value}_{(real == OnnxDataType.Double ? "f64" : "real")}", new[] { value }, new[] { new OnnxAttribute("to", Int: (long)real) });

    private static string PolynomialStep(OnnxGraphBuilder g, FittedModel model, string x)
    {
        var terms = model.Polynomial!.TermIndices;
        var blocks = new List<string>();
        // scikit-learn's order is degree by degree, so each degree's monomials form one contiguous block.
        foreach (var degree in terms.GroupBy(t => t.Length).OrderBy(group => group.Key))
        {
            var block = degree.ToArray();
            if (degree.Key == 1)
            {
                blocks.Add(x);
                continue;
            }
            string? product = null;
            for (int position = 0; position < degree.Key; position++)
            {
                long[] indices = block.Select(t => (long)t[position]).ToArray();
                string index = g.Constant($"poly{degree.Key}_index{position}", name => OnnxTensor.Int64(name, indices, indices.Length));
                string factor = g.Add("Gather", $"poly{degree.Key}_factor{position}", new[] { x, index }, new[] { new OnnxAttribute("axis", Int: 1) });
                product = product == null ? factor : g.Add("Mul", $"poly{degree.Key}_product", new[] { product, factor });
            }
            blocks.Add(product!);
        }
        return g.Add("Concat", "expanded", blocks.ToArray(), new[] { new OnnxAttribute("axis", Int: 1) });
    }

    private static string ScalerStep(OnnxGraphBuilder g, FittedModel model, string x, OnnxDataType real)
    {
        var scaler = model.Scaler!;
        string mean = g.Constant("scaler_mean", name => OnnxTensor.Real(name, real, scaler.Mean, scaler.FeatureCount));
        string scale = g.Constant("scaler_scale", name => OnnxTensor.Real(name, real, scaler.Scale, scaler.FeatureCount));
        string centred = g.Add("Sub", "centred", new[] { x, mean });
        return g.Add("Div", "standardized", new[] { centred, scale });
    }

    private static string LinearStep(OnnxGraphBuilder g, FittedModel model, string x, OnnxDataType real)
    {
        double[] theta = model.Module.ParametersToVector();
        long d = model.Module.FeatureCount, k = model.Module.OutputCount;
        string weight = g.Constant("coef", name => OnnxTensor.Real(name, real, theta[..(int)(k * d)], k, d));
        // Without an intercept Gemm has no C input (optional since opset 11): Z = X Wᵀ.
        string[] inputs = model.Module.FitIntercept
            ? new[] { x, weight, g.Constant("intercept", name => OnnxTensor.Real(name, real, theta[(int)(k * d)..], k)) }
            : new[] { x, weight };
        return g.Add("Gemm", "logits", inputs, new[] { new OnnxAttribute("transB", Int: 1) });
    }

    /// <summary>The probabilities in the graph's arithmetic; named <see cref="ProbabilitiesOutput"/> when that is float32 (no Cast follows).</summary>
    private static string ProbabilityStep(OnnxGraphBuilder g, FittedModel model, string logits, OnnxDataType real)
    {
        string? output = real == OnnxDataType.Float ? ProbabilitiesOutput : null;
        switch (model.Module)
        {
            case LogisticRegression:
            {
                string positive = g.Add("Sigmoid", "positive", new[] { logits });
                string one = g.Constant("one", name => OnnxTensor.Real(name, real, new[] { 1.0 }, 1));
                string negative = g.Add("Sub", "negative", new[] { one, positive });
                return g.Add("Concat", "class_probabilities", new[] { negative, positive }, new[] { new OnnxAttribute("axis", Int: 1) }, output: output);
            }
            case OneVsRest:
            {
                string members = g.Add("Sigmoid", "member_probabilities", new[] { logits });
                string axes = g.Constant("sum_axes", name => OnnxTensor.Int64(name, new[] { 1L }, 1));
                string total = g.Add("ReduceSum", "member_sum", new[] { members, axes }, new[] { new OnnxAttribute("keepdims", Int: 1) });
                return g.Add("Div", "class_probabilities", new[] { members, total }, output: output);
            }
            default:
                return g.Add("Softmax", "class_probabilities", new[] { logits }, new[] { new OnnxAttribute("axis", Int: 1) }, output: output);
        }
    }

    /// <summary>
    /// The calibrated probabilities of <paramref name="logits"/> (<see cref="ProbabilityCalibrator.Probabilities"/>): the
    /// scores (centred over the classes for softmax), one calibrated column per score, then <c>[1 − p, p]</c> (binary) or
    /// the columns divided by their sum (the uniform 1/K where the sum is 0).
    /// </summary>
    private static string CalibrationStep(OnnxGraphBuilder g, ProbabilityCalibrator calibrator, string logits, OnnxDataType real)
    {
        string? output = real == OnnxDataType.Float ? ProbabilitiesOutput : null;
        int columns = calibrator.Maps.Count;
        string Real(string hint, double[] values) => g.Constant(hint, name => OnnxTensor.Real(name, real, values, values.Length));
        string axes = g.Constant("calibration_axes", name => OnnxTensor.Int64(name, new[] { 1L }, 1));
        string Sum(string hint, string value) => g.Add("ReduceSum", hint, new[] { value, axes }, new[] { new OnnxAttribute("keepdims", Int: 1) });
        string scores = logits;
        if (calibrator.Input == CalibrationInput.CentredLogits)
        {
            string mean = g.Add("Div", "logit_mean", new[] { Sum("logit_sum", logits), Real("class_count", new[] { (double)columns }) });
            scores = g.Add("Sub", "centred_logits", new[] { logits, mean });
        }
        string calibrated;
        if (calibrator.Method == CalibrationMethod.Sigmoid)
        {
            var maps = calibrator.Maps.Cast<PlattScaling>().ToArray();
            string scaled = g.Add("Mul", "platt_scaled", new[] { scores, Real("platt_a", maps.Select(m => m.A).ToArray()) });
            string shifted = g.Add("Add", "platt_shifted", new[] { scaled, Real("platt_b", maps.Select(m => m.B).ToArray()) });
            calibrated = g.Add("Sigmoid", "calibrated", new[] { g.Add("Neg", "platt_negated", new[] { shifted }) });
        }
        else
        {
            var parts = new string[columns];
            for (int c = 0; c < columns; c++)
            {
                var map = (IsotonicCalibration)calibrator.Maps[c];
                string column = columns == 1 ? scores
                    : g.Add("Gather", $"score{c}", new[] { scores, g.Constant($"score{c}_index", name => OnnxTensor.Int64(name, new[] { (long)c }, 1)) }, new[] { new OnnxAttribute("axis", Int: 1) });
                string start = Real($"isotonic{c}_y0", new[] { map.Y[0] });
                if (map.X.Length == 1)
                {
                    // One knot: a constant, broadcast to (N, 1).
                    parts[c] = g.Add("Add", $"isotonic{c}", new[] { g.Add("Mul", $"isotonic{c}_zero", new[] { column, Real($"isotonic{c}_nought", new[] { 0.0 }) }), start });
                    continue;
                }
                int n = map.X.Length;
                double[] lo = map.X[..(n - 1)], hi = map.X[1..];
                double[] slope = Enumerable.Range(0, n - 1).Select(i => (map.Y[i + 1] - map.Y[i]) / (map.X[i + 1] - map.X[i])).ToArray();
                string loName = Real($"isotonic{c}_lo", lo);
                string clipped = g.Add("Min", $"isotonic{c}_clipped", new[] { g.Add("Max", $"isotonic{c}_above", new[] { column, loName }), Real($"isotonic{c}_hi", hi) });
                string rise = g.Add("Mul", $"isotonic{c}_rise", new[] { g.Add("Sub", $"isotonic{c}_run", new[] { clipped, loName }), Real($"isotonic{c}_slope", slope) });
                parts[c] = g.Add("Add", $"isotonic{c}", new[] { Sum($"isotonic{c}_sum", rise), start });
            }
            calibrated = Concat(g, "calibrated", parts);
        }
        if (columns == 1)
        {
            string negative = g.Add("Sub", "negative", new[] { Real("one", new[] { 1.0 }), calibrated });
            return g.Add("Concat", "class_probabilities", new[] { negative, calibrated }, new[] { new OnnxAttribute("axis", Int: 1) }, output: output);
        }
        string total = Sum("calibrated_sum", calibrated);
        string zero = g.Add("Equal", "calibrated_sum_is_zero", new[] { total, Real("zero", new[] { 0.0 }) });
        string divisor = g.Add("Where", "calibrated_divisor", new[] { zero, Real("one", new[] { 1.0 }), total });
        string normalised = g.Add("Div", "calibrated_normalised", new[] { calibrated, divisor });
        return g.Add("Where", "class_probabilities", new[] { zero, Real("uniform", new[] { 1.0 / columns }), normalised }, output: output);
    }

    private static void LabelStep(OnnxGraphBuilder g, FittedModel model, string probabilities)
    {
        string index = g.Add("ArgMax", "class_index", new[] { probabilities }, new[] { new OnnxAttribute("axis", Int: 1), new OnnxAttribute("keepdims", Int: 0) });
        string classes = g.Constant("classes", name => OnnxTensor.String(name, model.Classes, model.Classes.Length));
        g.Add("Gather", LabelOutput, new[] { classes, index }, new[] { new OnnxAttribute("axis", Int: 0) }, output: LabelOutput);
        g.Output(LabelOutput, OnnxDataType.String, new long?[] { null });
    }
}
