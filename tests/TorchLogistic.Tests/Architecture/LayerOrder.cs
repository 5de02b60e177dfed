namespace TorchLogistic.Tests.Architecture;

/// <summary>
/// The folders of the numerical core (src/TorchLogistic), lowest layer first. A folder may use its own namespace
/// and the namespaces of folders before it, never one after it; so the folders have no dependency cycle.
/// </summary>
public static class LayerOrder
{
    /// <summary>
    /// Native (loads TorchSharp's native libraries before anything touches torch; the explicit-lifetime Scalars every
    /// layer's tensor arithmetic uses, Scalars and ScalarArithmetic; no dependencies) → Sparse (the
    /// feature matrix the loss layer multiplies by: dense tensors and CSR matrices with their kernels) → Losses
    /// (pointwise and linear-model losses) → Data (rows, streams, scalers, sample weights; its
    /// subfolder Tabular, namespace TorchLogistic.Data, holds the fitted categorical and missing-value encoder)
    /// → Models (the TorchSharp modules) → Calibration (maps from a model's logits to
    /// calibrated probabilities: Platt scaling, isotonic regression; fitted on out-of-fold logits by Selection) → Objectives (θ ↔ tensors over the data and modules) → Checking (the
    /// gradient checker over objectives and losses) → Optim (solvers over objectives) → Distributed (MPI, sharded data and the objective summed over ranks) → Training (trainers, options,
    /// results, solver comparison) → Metrics (evaluations of fitted models) → Selection (regularisation paths: many
    /// fits, each evaluated) → Inference (standard errors of a fitted model) → IO (model files, which hold all of it) → Export (ONNX, PyTorch and NumPy copies of a fitted model, for other runtimes).
    /// </summary>
    public static IReadOnlyList<string> Layers { get; } =
        new[] { "Native", "Sparse", "Losses", "Data", "Models", "Calibration", "Objectives", "Checking", "Optim", "Distributed", "Training", "Metrics", "Selection", "Inference", "IO", "Export" };

    /// <summary>Namespaces outside the core that no core file may name.</summary>
    public static IReadOnlyList<string> Outside { get; } = new[] { "Plotting", "Reporting", "Performance", "Cli" };

    /// <summary>
    /// Every breach of the order in the core rooted at <paramref name="project"/> (the folder holding the .csproj):
    /// a file outside a known layer folder, a namespace that is not its folder's, or a reference to a later layer or
    /// to a namespace outside the core. Empty when the layering holds.
    /// </summary>
    public static IReadOnlyList<string> Violations(string project)
    {
        var found = new List<string>();
        var rank = Layers.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i);
        foreach (string file in Directory.EnumerateFiles(project, "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string relative = Path.GetRelativePath(project, file).Replace('\\', '/');
            if (relative.StartsWith("bin/", StringComparison.Ordinal) || relative.StartsWith("obj/", StringComparison.Ordinal)) continue;
            string folder = relative.Contains('/') ? relative[..relative.IndexOf('/')] : "";
            if (!rank.TryGetValue(folder, out int own))
            {
                found.Add($"{relative}: not in a layer folder ({string.Join(", ", Layers)}); add its folder to LayerOrder.layers in its place.");
                continue;
            }
            string source = File.ReadAllText(file);
            string? ns = SourceReferences.NamespaceOf(source);
            if (ns != $"TorchLogistic.{folder}") found.Add($"{relative}: namespace {ns ?? "(none)"} is not TorchLogistic.{folder}.");
            foreach (string used in SourceReferences.Referenced(source, Layers.Concat(Outside)).Order(StringComparer.Ordinal))
            {
                if (!rank.TryGetValue(used, out int other))
                    found.Add($"{relative}: {folder} uses TorchLogistic.{used}, which is not part of the core.");
                else if (other > own)
                    found.Add($"{relative}: {folder} uses TorchLogistic.{used}, a later layer ({folder} comes before {used}).");
            }
        }
        return found;
    }
}
