namespace TorchLogistic.Export;

/// <summary>
/// Collects an ONNX graph in topological order: each <see cref="Add"/> appends a node and returns the name of its
/// (first) output, named after the step it belongs to; constants become initializers.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    private readonly List<OnnxNode> _nodes = new();
    private readonly List<OnnxTensor> _initializers = new();
    private readonly List<OnnxValueInfo> _inputs = new();
    private readonly List<OnnxValueInfo> _outputs = new();
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>The nodes so far, in order.</summary>
    public IReadOnlyList<OnnxNode> Nodes => _nodes;

    /// <summary>The constants so far.</summary>
    public IReadOnlyList<OnnxTensor> Initializers => _initializers;

    /// <summary>The graph inputs.</summary>
    public IReadOnlyList<OnnxValueInfo> Inputs => _inputs;

    /// <summary>The graph outputs.</summary>
    public IReadOnlyList<OnnxValueInfo> Outputs => _outputs;

    /// <summary>Declares a graph input of a batch of rows, shape <c>(N, width)</c>; its name is taken as given.</summary>
    public string Input(string name, OnnxDataType type, long width)
    {
        Reserve(name);
        _inputs.Add(new OnnxValueInfo(name, type, new long?[] { null, width }));
        return name;
    }

    /// <summary>Declares <paramref name="name"/> (an existing value) a graph output of <paramref name="dims"/> (null: the batch size).</summary>
    public void Output(string name, OnnxDataType type, params long?[] dims) => _outputs.Add(new OnnxValueInfo(name, type, dims));

    /// <summary>Adds a constant under a fresh name derived from <paramref name="hint"/> and returns that name.</summary>
    public string Constant(string hint, Func<string, OnnxTensor> tensor)
    {
        string name = Fresh(hint);
        _initializers.Add(tensor(name));
        return name;
    }

    /// <summary>Appends a node of <paramref name="opType"/>; returns its output's name (<paramref name="output"/> if given, else a fresh one from <paramref name="hint"/>).</summary>
    public string Add(string opType, string hint, string[] inputs, OnnxAttribute[]? attributes = null, string domain = "", string? output = null)
    {
        string name = output ?? Fresh(hint);
        if (output != null) Reserve(output);
        _nodes.Add(new OnnxNode(opType, $"{opType}_{_nodes.Count}", inputs, new[] { name }, attributes ?? Array.Empty<OnnxAttribute>(), domain));
        return name;
    }

    private string Fresh(string hint)
    {
        string name = hint;
        for (int i = 1; _names.Contains(name); i++) name = $"{hint}_{i}";
        _names.Add(name);
        return name;
    }

    private void Reserve(string name)
    {
        if (!_names.Add(name))
            throw new ArgumentException($"The ONNX graph already has a value named '{name}'; feature names must differ from each other and from 'label' and 'probabilities'.");
    }
}
