namespace TorchLogistic.Data;

/// <summary>
/// Turns label texts into class indices while a file is streamed. Either the classes are known (a test file takes
/// its training file's classes; a label outside them is an error naming where it is), or they are discovered during
/// the opening pass: labels get provisional indices as they first appear, and <see cref="Finish"/> sorts them in
/// <see cref="CsvDataset"/>'s class order and says where each provisional index went. Memory: one entry per class.
/// </summary>
internal sealed class LabelIndex
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<string> _seen = new();
    private string[]? _classes;

    /// <summary>Discovers the classes (<paramref name="known"/> null) or maps onto the <paramref name="known"/> classes.</summary>
    public LabelIndex(string[]? known)
    {
        if (known == null) return;
        _classes = known;
        for (int k = 0; k < known.Length; k++) _index[known[k]] = k;
    }

    /// <summary>The classes, in index order; null while they are being discovered.</summary>
    public string[]? Known => _classes;

    /// <summary>
    /// The index of <paramref name="label"/>. While discovering, a new label gets the next provisional index; with
    /// known classes, an unknown label throws a <see cref="DataFormatException"/> that starts with <paramref name="where"/>().
    /// </summary>
    public int Of(string label, Func<string> where)
    {
        if (_index.TryGetValue(label, out int k)) return k;
        if (_classes != null)
            throw new DataFormatException($"{where()}: label '{label}' is not one of the training classes ({string.Join(", ", _classes.Take(20))}{(_classes.Length > 20 ? ", …" : "")}). A model cannot score a class it was not trained on; drop those rows or train on data that has them.");
        _index[label] = _seen.Count;
        _seen.Add(label);
        return _seen.Count - 1;
    }

    /// <summary>
    /// Ends discovery: the classes in sorted order (numerically when every label is a number, ordinally otherwise).
    /// Returns where each provisional index went, or null when the classes were known.
    /// </summary>
    public int[]? Finish()
    {
        if (_classes != null) return null;
        _classes = CsvDataset.ClassOrder(_seen);
        _index.Clear();
        for (int k = 0; k < _classes.Length; k++) _index[_classes[k]] = k;
        return _seen.Select(label => _index[label]).ToArray();
    }
}
