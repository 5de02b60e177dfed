using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;
using ScottPlot;
using TorchLogistic.Inference;
using TorchLogistic.Metrics;
using TorchLogistic.Native;
using TorchLogistic.Optim;

namespace TorchLogistic.Interactive;

/// <summary>
/// Loaded by the .NET Interactive kernel right after <c>#r "nuget: TorchLogistic"</c> restores, before the rest of
/// that cell runs: loads TorchSharp's natives (<see cref="TorchSharpNative.ensure"/>, so even a cell that uses
/// <c>torch</c> before any TorchLogistic type works), and registers HTML formatters: a ScottPlot
/// <see cref="Plot"/> as a PNG image (<see cref="PlotWidth"/> × <see cref="PlotHeight"/>), and the library's
/// results as tables (<see cref="HtmlTables"/>).
/// </summary>
public sealed class TorchLogisticKernelExtension : IKernelExtension
{
    /// <summary>Width in pixels of a <see cref="Plot"/> shown as a cell's value (default 700).</summary>
    public static int PlotWidth { get; set; } = 700;

    /// <summary>Height in pixels of a <see cref="Plot"/> shown as a cell's value (default 450).</summary>
    public static int PlotHeight { get; set; } = 450;

    /// <inheritdoc />
    public Task OnLoadAsync(Kernel kernel)
    {
        TorchSharpNative.ensure();
        Formatter.Register<Plot>((plot, writer) => writer.Write(plot.GetPngHtml(PlotWidth, PlotHeight)), HtmlFormatter.MimeType);
        Formatter.Register<Evaluation>((e, writer) => writer.Write(HtmlTables.of(e)), HtmlFormatter.MimeType);
        Formatter.Register<ConfusionMatrix>((m, writer) => writer.Write(HtmlTables.of(m)), HtmlFormatter.MimeType);
        Formatter.Register<InferenceResult>((r, writer) => writer.Write(HtmlTables.of(r)), HtmlFormatter.MimeType);
        Formatter.Register<IEnumerable<SolverComparison.Row>>((rows, writer) => writer.Write(HtmlTables.of(rows)), HtmlFormatter.MimeType);
        return Task.CompletedTask;
    }
}
