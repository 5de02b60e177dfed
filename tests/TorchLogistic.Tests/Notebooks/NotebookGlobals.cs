using System.Text.Json.Nodes;

namespace TorchLogistic.Tests.Notebooks;

/// <summary>
/// The globals a .NET Interactive C# kernel gives every cell, as far as our notebooks use them:
/// <c>display(value)</c> and <c>HTML(text)</c>. Displayed values become Jupyter outputs of the cell.
/// </summary>
public sealed class NotebookGlobals
{
    internal List<JsonObject> Outputs { get; } = new();

    /// <summary>Shows a value below the cell: HTML and charts as text/html, anything else as text/plain.</summary>
    public DisplayedValue display(object? value)
    {
        var output = NotebookOutputs.DisplayData(value);
        Outputs.Add(output);
        return new DisplayedValue(output);
    }

    /// <summary>Marks a string as HTML to display (like .NET Interactive's <c>HTML(...)</c>).</summary>
    public HtmlString HTML(string html) => new(html);
}

/// <summary>A string to be displayed as HTML.</summary>
public sealed record HtmlString(string Html)
{
    public override string ToString() => Html;
}

/// <summary>A displayed output that a later statement can replace, like .NET Interactive's <c>DisplayedValue</c>.</summary>
public sealed class DisplayedValue
{
    private readonly JsonObject _output;

    internal DisplayedValue(JsonObject output) => this._output = output;

    public void Update(object? value) => _output["data"] = NotebookOutputs.DisplayData(value)["data"]!.DeepClone();
}

internal static class NotebookOutputs
{
    public static JsonObject DisplayData(object? value) => new()
    {
        ["output_type"] = "display_data",
        ["data"] = value switch
        {
            HtmlString h => new JsonObject { ["text/html"] = h.Html },
            // As the kernel extension's formatter shows a chart, at its default size (src/TorchLogistic.Interactive).
            ScottPlot.Plot plot => new JsonObject { ["text/html"] = plot.GetPngHtml(700, 450) },
            _ => new JsonObject { ["text/plain"] = value?.ToString() ?? "null" },
        },
        ["metadata"] = new JsonObject(),
    };

    public static JsonObject Stream(string text) => new()
    {
        ["output_type"] = "stream",
        ["name"] = "stdout",
        ["text"] = text,
    };
}
