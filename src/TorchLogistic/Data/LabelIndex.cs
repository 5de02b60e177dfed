namespace TorchLogistic.Data;

/// <summary>
/// Turns label texts into class indices while a file is streamed. Either the classes are known (a test file takes
/// its training file's classes; a label outside them is an error naming where it is), or they are discovered during
/// the opening pass: labels get provisional indices as they first appear, and <see cref="finish"/> sorts them in
/// <see cref="CsvDataset"/>'s class order and says where each provisional index went. Memory: one entry per class.
/// </summary>
internal sealed class LabelIndex
{
    private readonly Dictionary<string, int> index = new(StringComparer.Ordinal);
    private readonly List<string> seen = new();
    private string[]? classes;

    /// <summary>Discovers the classes (<paramref name="known"/> null) or maps onto the <paramref name="known"/> classes.</summary>
    public LabelIndex(string[]? known)
    {
        if (known == null) return;
        classes = known;
        for (int k = 0; k < known.Length; k++) index[known[k]] = k;
    }

    /// <summary>The classes, in index order; null while they are being discovered.</summary>
    public string[]? known => classes;

    /// <summary>
    /// The index of <paramref name="label"/>. While discovering, a new label gets the next provisional index; with
    /// known classes, an unknown label throws a <see cref="DataFormatException"/> that starts with <paramref name="where"/>().
    /// </summary>
    public int of(string label, Func<string> where)
    {
        if (index.TryGetValue(label, out int k)) return k;
        if (classes != null)
            throw new DataFormatException($"{where()}: label '{label}' is not one of the training classes ({string.Join(", ", classes.Take(20))}{(classes.Length > 20 ? ", …" : "")}). A model cannot score a class it was not trained on; drop those rows or train on data that has them.");
        index[label] = seen.Count;
        seen.Add(label);
        return seen.Count - 1;
    }

    /// <summary>
    /// Ends discovery: the classes in sorted order (numerically when every label is a number, ordinally otherwise).
    /// Returns where each provisional index went, or null when the classes were known.
    /// </summary>
    public int[]? finish()
    {
        if (classes != null) return null;
        classes = CsvDataset.class_order(seen);
        index.Clear();
        for (int k = 0; k < classes.Length; k++) index[classes[k]] = k;
        return seen.Select(label => index[label]).ToArray();
    }
}
