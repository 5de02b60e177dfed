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
/// that cell runs: loads TorchSharp's natives (<see cref="TorchSharpNative.ensure"/>, so even a cell that uses
/// <c>torch</c> before any TorchLogistic type works), and registers HTML formatters: a ScottPlot
/// <see cref="Plot"/> as a PNG image (<see cref="plot_width"/> × <see cref="plot_height"/>), and the library's
/// results as tables (<see cref="HtmlTables"/>).
/// </summary>
public sealed class TorchLogisticKernelExtension : IKernelExtension
{
    /// <summary>Width in pixels of a <see cref="Plot"/> shown as a cell's value (default 700).</summary>
    public static int plot_width { get; set; } = 700;

    /// <summary>Height in pixels of a <see cref="Plot"/> shown as a cell's value (default 450).</summary>
    public static int plot_height { get; set; } = 450;

    /// <inheritdoc />
    public Task OnLoadAsync(Kernel kernel)
    {
        try
        {
            TorchSharpNative.ensure();
        }
        catch (Exception e) when (native_cause(e) is TorchSharpNativeException cause)
        {
            // Throwing here leaves the kernel waiting forever on the #r cell (measured with 1.0.712001): show the
            // cause and the fix instead; TorchLogistic's types then fail with the same message.
            if (KernelInvocationContext.Current is { } context)
                context.Publish(new StandardErrorValueProduced(context.Command,
                    new[] { new FormattedValue(PlainTextFormatter.MimeType, $"TorchLogistic: {cause.Message}{Environment.NewLine}") }));
        }
        html<Plot>(plot => plot.GetPngHtml(plot_width, plot_height));
        html<Evaluation>(HtmlTables.of);
        html<ConfusionMatrix>(HtmlTables.of);
        html<InferenceResult>(HtmlTables.of);
        // SolverComparison.run returns a List; the formatter is looked up by the value's own type.
        html<List<SolverComparison.Row>>(HtmlTables.of);
        html<SolverComparison.Row[]>(HtmlTables.of);
        return Task.CompletedTask;
    }

    private static TorchSharpNativeException? native_cause(Exception e) =>
        e as TorchSharpNativeException ?? (e as TypeInitializationException)?.InnerException as TorchSharpNativeException;

    private static void html<T>(Func<T, string> format)
    {
        Formatter.Register<T>((value, writer) => writer.Write(format(value)), HtmlFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(T), HtmlFormatter.MimeType);
    }
}
