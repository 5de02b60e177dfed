namespace TorchLogistic.Training;

/// <summary>
/// Class probabilities of a set of rows, shape <c>(n_rows, n_classes)</c>: <c>p[i, k]</c> is the probability that
/// row i is class k (<see cref="classes"/>[k]). Every row sums to 1 (up to rounding) for the models' normalised
/// probabilities. <see cref="values"/> is the same matrix flat and row-major, for callers that take arrays.
/// </summary>
public sealed class Probabilities
{
    private readonly double[] data;

    /// <summary>Wraps row-major <paramref name="values"/> of <paramref name="classes"/>.Length columns (not copied).</summary>
    /// <param name="values">Probabilities, row-major <c>(n_rows, K)</c>.</param>
    /// <param name="classes">The K ≥ 1 class names, column k being class k.</param>
    /// <exception cref="ArgumentException">The length of <paramref name="values"/> is not a multiple of K.</exception>
    public Probabilities(double[] values, string[] classes)
    {
        if (classes.Length == 0) throw new ArgumentException("Probabilities need at least one class.", nameof(classes));
        if (values.Length % classes.Length != 0)
            throw new ArgumentException($"{values.Length} values do not fill rows of {classes.Length} classes.", nameof(values));
        data = values;
        this.classes = classes;
        n_rows = values.Length / classes.Length;
    }

    /// <summary>Rows (one per input row).</summary>
    public int n_rows { get; }

    /// <summary>Columns K (one per class).</summary>
    public int n_classes => classes.Length;

    /// <summary>Class names; column k is class k.</summary>
    public string[] classes { get; }

    /// <summary>The probabilities flat and row-major, <c>values[i · K + k] = this[i, k]</c> (the array itself, not a copy).</summary>
    public double[] values => data;

    /// <summary>The probability that row <paramref name="row"/> is class <paramref name="class_index"/>.</summary>
    public double this[int row, int class_index]
    {
        get
        {
            if ((uint)row >= (uint)n_rows) throw new ArgumentOutOfRangeException(nameof(row), row, $"Row {row} is outside 0..{n_rows - 1}.");
            if ((uint)class_index >= (uint)n_classes) throw new ArgumentOutOfRangeException(nameof(class_index), class_index, $"Class {class_index} is outside 0..{n_classes - 1}.");
            return data[row * n_classes + class_index];
        }
    }

    /// <summary>Column <paramref name="class_index"/>: every row's probability of that class (a new array).</summary>
    public double[] column(int class_index)
    {
        if ((uint)class_index >= (uint)n_classes) throw new ArgumentOutOfRangeException(nameof(class_index), class_index, $"Class {class_index} is outside 0..{n_classes - 1}.");
        var result = new double[n_rows];
        for (int i = 0; i < n_rows; i++) result[i] = data[i * n_classes + class_index];
        return result;
    }

    /// <summary>Every row's probability of the class named <paramref name="name"/> (a new array).</summary>
    /// <exception cref="ArgumentException">No class has that name.</exception>
    public double[] for_class(string name)
    {
        int k = Array.IndexOf(classes, name);
        if (k < 0) throw new ArgumentException($"No class is named '{name}'; the classes are {string.Join(", ", classes)}.", nameof(name));
        return column(k);
    }

    /// <summary>The most probable class index of each row (the first on ties).</summary>
    public int[] argmax() => FittedModel.argmax_rows(data, n_classes);
}
