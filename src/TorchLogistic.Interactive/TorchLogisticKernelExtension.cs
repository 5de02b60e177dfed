using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using ScottPlot;
using TorchLogistic.Inference;
using TorchLogistic.Metrics;
using TorchLogistic.Native;
using TorchLogistic.Training;

namespace TorchLogistic.Interactive;

/// <summary>
/// Loaded by the .NET Interactive kernel right after <c>#r "nuget: TorchLogistic"</c> restores, before the rest of
/// that cell runs: loads TorchSharp's natives (<see cref="TorchSharpNative.Ensure"/>, so even a cell that uses
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
        try
        {
            TorchSharpNative.Ensure();
        }
        catch (Exception e) when (NativeCause(e) is TorchSharpNativeException cause)
        {
            // Throwing here leaves the kernel waiting forever on the #r cell (measured with 1.0.712001): show the
            // cause and the fix instead; TorchLogistic's types then fail with the same message.
            if (KernelInvocationContext.Current is { } context)
                context.Publish(new StandardErrorValueProduced(context.Command,
                    new[] { new FormattedValue(PlainTextFormatter.MimeType, $"TorchLogistic: {cause.Message}{Environment.NewLine}") }));
        }
        Html<Plot>(plot => plot.GetPngHtml(PlotWidth, PlotHeight));
        Html<Evaluation>(HtmlTables.Of);
        Html<ConfusionMatrix>(HtmlTables.Of);
        Html<InferenceResult>(HtmlTables.Of);
        // SolverComparison.run returns a List; the formatter is looked up by the value's own type.
        Html<List<SolverComparison.Row>>(HtmlTables.Of);
        Html<SolverComparison.Row[]>(HtmlTables.Of);
        return Task.CompletedTask;
    }

    private static TorchSharpNativeException? NativeCause(Exception e) =>
        e as TorchSharpNativeException ?? (e as TypeInitializationException)?.InnerException as TorchSharpNativeException;

    private static void Html<T>(Func<T, string> format)
    {
        Formatter.Register<T>((value, writer) => writer.Write(format(value)), HtmlFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(T), HtmlFormatter.MimeType);
    }
}
