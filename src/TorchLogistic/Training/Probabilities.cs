namespace TorchLogistic.Training;

/// <summary>
/// Class probabilities of a set of rows, shape <c>(RowCount, ClassCount)</c>: <c>p[i, k]</c> is the probability that
/// row i is class k (<see cref="Classes"/>[k]). Every row sums to 1 (up to rounding) for the models' normalised
/// probabilities. <see cref="Values"/> is the same matrix flat and row-major, for callers that take arrays.
/// </summary>
public sealed class Probabilities
{
    private readonly double[] _data;

    /// <summary>Wraps row-major <paramref name="values"/> of <paramref name="classes"/>.Length columns (not copied).</summary>
    /// <param name="values">Probabilities, row-major <c>(RowCount, K)</c>.</param>
    /// <param name="classes">The K ≥ 1 class names, column k being class k.</param>
    /// <exception cref="ArgumentException">The length of <paramref name="values"/> is not a multiple of K.</exception>
    public Probabilities(double[] values, string[] classes)
    {
        if (classes.Length == 0) throw new ArgumentException("Probabilities need at least one class.", nameof(classes));
        if (values.Length % classes.Length != 0)
            throw new ArgumentException($"{values.Length} values do not fill rows of {classes.Length} classes.", nameof(values));
        _data = values;
        this.Classes = classes;
        RowCount = values.Length / classes.Length;
    }

    /// <summary>Rows (one per input row).</summary>
    public int RowCount { get; }

    /// <summary>Columns K (one per class).</summary>
    public int ClassCount => Classes.Length;

    /// <summary>Class names; column k is class k.</summary>
    public string[] Classes { get; }

    /// <summary>The probabilities flat and row-major, <c>values[i · K + k] = this[i, k]</c> (the array itself, not a copy).</summary>
    public double[] Values => _data;

    /// <summary>The probability that row <paramref name="row"/> is class <paramref name="classIndex"/>.</summary>
    public double this[int row, int classIndex]
    {
        get
        {
            if ((uint)row >= (uint)RowCount) throw new ArgumentOutOfRangeException(nameof(row), row, $"Row {row} is outside 0..{RowCount - 1}.");
            if ((uint)classIndex >= (uint)ClassCount) throw new ArgumentOutOfRangeException(nameof(classIndex), classIndex, $"Class {classIndex} is outside 0..{ClassCount - 1}.");
            return _data[row * ClassCount + classIndex];
        }
    }

    /// <summary>Column <paramref name="classIndex"/>: every row's probability of that class (a new array).</summary>
    public double[] Column(int classIndex)
    {
        if ((uint)classIndex >= (uint)ClassCount) throw new ArgumentOutOfRangeException(nameof(classIndex), classIndex, $"Class {classIndex} is outside 0..{ClassCount - 1}.");
        var result = new double[RowCount];
        for (int i = 0; i < RowCount; i++) result[i] = _data[i * ClassCount + classIndex];
        return result;
    }

    /// <summary>Every row's probability of the class named <paramref name="name"/> (a new array).</summary>
    /// <exception cref="ArgumentException">No class has that name.</exception>
    public double[] ForClass(string name)
    {
        int k = Array.IndexOf(Classes, name);
        if (k < 0) throw new ArgumentException($"No class is named '{name}'; the classes are {string.Join(", ", Classes)}.", nameof(name));
        return Column(k);
    }

    /// <summary>The most probable class index of each row (the first on ties).</summary>
    public int[] Argmax() => FittedModel.ArgmaxRows(_data, ClassCount);
}
