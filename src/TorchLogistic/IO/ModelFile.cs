using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using TorchLogistic.Data;
using TorchLogistic.Models;
using TorchLogistic.Objectives;
using TorchLogistic.Optim;
using TorchLogistic.Training;
using static TorchSharp.torch;

namespace TorchLogistic.IO;

/// <summary>
/// The <c>model.bin</c> format: everything needed to predict from raw data, checksummed.
/// <code>
/// "TORCHLOG"            8 bytes, magic
/// format version        uint32 LE (currently 1)
/// header length n       uint32 LE
/// header                n bytes of UTF-8 JSON: model (logistic, softmax, ovr), dtype, n_features (the module's,
///                       after expansion), n_outputs, classes, feature_names (raw), poly_degree (absent in older
///                       files: 1), scaler {mean, scale} of the expanded features or null, options
/// parameter count p     uint32 LE
/// θ = [vec(W); b]       p float64 LE (exact for float32 models too)
/// SHA-256               32 bytes over everything above
/// </code>
/// Saving then loading gives bit-for-bit the same parameters, scaler and therefore predictions.
/// </summary>
public static class ModelFile
{
    /// <summary>The format version this library writes and the newest it reads.</summary>
    public const uint format_version = 1;

    private static readonly byte[] Magic = "TORCHLOG"u8.ToArray();

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/> atomically.</summary>
    public static void save(FittedModel model, string path) => AtomicFile.write_all_bytes(path, to_bytes(model));

    /// <summary>The file's bytes for <paramref name="model"/>.</summary>
    public static byte[] to_bytes(FittedModel model)
    {
        var header = new JsonObject
        {
            ["model"] = kind_name(model.module),
            ["dtype"] = model.module.dtype == ScalarType.Float32 ? "float32" : "float64",
            ["n_features"] = model.module.in_features,
            ["n_outputs"] = model.module.n_outputs,
            ["classes"] = new JsonArray(model.classes.Select(c => (JsonNode)c).ToArray()),
            ["feature_names"] = new JsonArray(model.feature_names.Select(c => (JsonNode)c).ToArray()),
            ["poly_degree"] = model.polynomial?.degree ?? 1,
            ["scaler"] = model.scaler == null ? null : new JsonObject
            {
                ["mean"] = new JsonArray(model.scaler.mean.Select(v => (JsonNode)v).ToArray()),
                ["scale"] = new JsonArray(model.scaler.scale.Select(v => (JsonNode)v).ToArray()),
            },
            ["options"] = options_to_json(model.options),
        };
        byte[] headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());
        double[] theta = model.module.parameters_to_vector();
        using var body = new MemoryStream();
        body.Write(Magic);
        write_u32(body, format_version);
        write_u32(body, (uint)headerBytes.Length);
        body.Write(headerBytes);
        write_u32(body, (uint)theta.Length);
        var buffer = new byte[8];
        foreach (double v in theta)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(buffer, v);
            body.Write(buffer);
        }
        body.Write(SHA256.HashData(body.ToArray()));
        return body.ToArray();
    }

    /// <summary>Reads a model file.</summary>
    /// <exception cref="ModelFormatException">Missing, foreign, newer, truncated or corrupt file.</exception>
    public static FittedModel load(string path)
    {
        if (!File.Exists(path))
            throw new ModelFormatException($"Model file '{path}' does not exist. Train one first and save it (ModelFile.save).");
        return from_bytes(File.ReadAllBytes(path), path);
    }

    /// <summary>Reads a model from its bytes; <paramref name="source"/> names it in messages.</summary>
    public static FittedModel from_bytes(byte[] bytes, string source)
    {
        if (bytes.Length < Magic.Length || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new ModelFormatException($"'{source}' is not a TorchLogistic model file (it does not start with TORCHLOG). Pass the model.bin that 'torchlogistic train' wrote.");
        if (bytes.Length < Magic.Length + 8 + 4 + 32)
            throw new ModelFormatException($"'{source}' is truncated ({bytes.Length} bytes). Re-train or copy the file again.");
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        if (version > format_version)
            throw new ModelFormatException($"'{source}' has model format version {version}; this TorchLogistic reads up to {format_version}. Upgrade TorchLogistic.");
        if (version == 0)
            throw new ModelFormatException($"'{source}' has model format version 0, which does not exist: the file is corrupt.");
        int bodyLength = bytes.Length - 32;
        if (!SHA256.HashData(bytes.AsSpan(0, bodyLength)).AsSpan().SequenceEqual(bytes.AsSpan(bodyLength)))
            throw new ModelFormatException($"'{source}' is truncated or corrupt (checksum mismatch). Re-train or copy the file again.");
        try
        {
            int offset = 12;
            int headerLength = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset)));
            offset += 4;
            var header = JsonNode.Parse(bytes.AsSpan(offset, headerLength))!.AsObject();
            offset += headerLength;
            int count = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset)));
            offset += 4;
            if (offset + 8L * count != bodyLength)
                throw new ModelFormatException($"'{source}' declares {count} parameters but holds {(bodyLength - offset) / 8}. The file is corrupt.");
            var theta = new double[count];
            for (int i = 0; i < count; i++) theta[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(offset + 8 * i));

            string kind = (string)header["model"]!;
            var dtype = (string)header["dtype"]! == "float32" ? ScalarType.Float32 : ScalarType.Float64;
            long d = (long)header["n_features"]!;
            long k = (long)header["n_outputs"]!;
            string[] classes = header["classes"]!.AsArray().Select(n => (string)n!).ToArray();
            string[] featureNames = header["feature_names"]!.AsArray().Select(n => (string)n!).ToArray();
            StandardScaler? scaler = header["scaler"] is JsonObject sc
                ? new StandardScaler(sc["mean"]!.AsArray().Select(n => (double)n!).ToArray(), sc["scale"]!.AsArray().Select(n => (double)n!).ToArray())
                : null;
            var options = options_from_json(header["options"]!.AsObject());
            int polyDegree = header["poly_degree"] is JsonNode degreeNode ? (int)degreeNode : 1;
            var polynomial = polyDegree > 1 ? new PolynomialFeatures(featureNames.Length, polyDegree) : null;
            LinearClassifier module = kind switch
            {
                "logistic" when k == 1 => new LogisticRegression(d, dtype),
                "softmax" when k >= 2 => new SoftmaxRegression(d, (int)k, dtype),
                "ovr" when k >= 2 => new OneVsRest(d, (int)k, dtype),
                _ => throw new ModelFormatException($"'{source}' holds an unknown model '{kind}' with {k} outputs. Upgrade TorchLogistic or re-train."),
            };
            module.vector_to_parameters(theta);
            return new FittedModel(module, classes, featureNames, scaler, options, result: null, polynomial);
        }
        catch (Exception e) when (e is not ModelFormatException)
        {
            throw new ModelFormatException($"'{source}' is corrupt: {e.Message} Re-train or copy the file again.", e);
        }
    }

    /// <summary>The name a module's kind has in model files, metrics.json and on the command line: logistic, softmax or ovr.</summary>
    public static string kind_name(LinearClassifier module) => module switch
    {
        LogisticRegression => "logistic",
        OneVsRest => "ovr",
        _ => "softmax",
    };

    /// <summary>The name of <paramref name="kind"/> on the command line and in files: logistic, softmax or ovr.</summary>
    public static string kind_name(ModelKind kind) => kind == ModelKind.OneVsRest ? "ovr" : kind.ToString().ToLowerInvariant();

    /// <summary>The options as JSON, as stored in model files and metrics.json.</summary>
    public static JsonObject options_to_json(TrainingOptions o) => new()
    {
        ["model"] = kind_name(o.model),
        ["penalty"] = new Penalty(o.penalty).name,
        ["C"] = o.C,
        ["l1_ratio"] = o.l1_ratio,
        ["solver"] = SolverRegistry.name_of(o.solver),
        ["lr"] = o.lr,
        ["max_iter"] = o.max_iter,
        ["tol"] = o.tol,
        ["history_size"] = o.history_size,
        ["batch_size"] = o.batch_size,
        ["seed"] = o.seed,
        ["poly_degree"] = o.poly_degree,
        ["standardize"] = o.standardize,
        ["dtype"] = o.dtype == ScalarType.Float32 ? "float32" : "float64",
        ["gradients"] = o.gradients.ToString().ToLowerInvariant(),
        ["class_weight"] = class_weight_name(o.class_weight),
        ["class_weight_values"] = o.class_weight_values == null ? null : new JsonArray(o.class_weight_values.Select(v => (JsonNode)v).ToArray()),
        ["label_smoothing"] = o.label_smoothing,
    };

    private static TrainingOptions options_from_json(JsonObject j) => new()
    {
        model = (string)j["model"]! == "ovr" ? ModelKind.OneVsRest : Enum.Parse<ModelKind>((string)j["model"]!, ignoreCase: true),
        penalty = Penalty.parse_kind((string)j["penalty"]!),
        C = (double)j["C"]!,
        l1_ratio = (double)j["l1_ratio"]!,
        solver = SolverRegistry.try_parse((string?)j["solver"], out var solver) ? solver : throw new ModelFormatException($"Unknown solver '{(string?)j["solver"]}' in the model file's options."),
        lr = (double)j["lr"]!,
        max_iter = (int)j["max_iter"]!,
        tol = (double)j["tol"]!,
        history_size = (int)j["history_size"]!,
        batch_size = j["batch_size"] is JsonNode batch ? (int)batch : SolverDefaults.batch_size,
        seed = j["seed"] is JsonNode seed ? (int)seed : 0,
        poly_degree = j["poly_degree"] is JsonNode degree ? (int)degree : 1,
        standardize = (bool)j["standardize"]!,
        dtype = (string)j["dtype"]! == "float32" ? ScalarType.Float32 : ScalarType.Float64,
        gradients = Enum.Parse<GradientMode>((string)j["gradients"]!, ignoreCase: true),
        class_weight = class_weight_mode((string?)j["class_weight"]),
        class_weight_values = j["class_weight_values"]?.AsArray().Select(n => (double)n!).ToArray(),
        label_smoothing = (double?)j["label_smoothing"] ?? 0,
    };

    /// <summary>A class-weight mode as model files and metrics.json spell it: null, "balanced" or "explicit".</summary>
    private static string? class_weight_name(ClassWeightMode mode) => mode switch
    {
        ClassWeightMode.Balanced => "balanced",
        ClassWeightMode.Explicit => "explicit",
        _ => null,
    };

    private static ClassWeightMode class_weight_mode(string? name) => name switch
    {
        null => ClassWeightMode.None,
        "balanced" => ClassWeightMode.Balanced,
        "explicit" => ClassWeightMode.Explicit,
        _ => throw new ModelFormatException($"Unknown class_weight '{name}' in the model file's options."),
    };

    private static void write_u32(Stream s, uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        s.Write(b);
    }
}
