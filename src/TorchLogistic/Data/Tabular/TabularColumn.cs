using System.Globalization;

namespace TorchLogistic.Data;

/// <summary>
/// One column of a <see cref="TabularTable"/> as read: every cell's number (NaN when missing), and, once a cell is
/// not a number, every cell's text (numbers in their shortest form, null when missing). An all-numeric column
/// holds only doubles.
/// </summary>
internal sealed class TabularColumn
{
    private readonly List<double> _numbers;
    private List<string?>? _texts;

    public TabularColumn(string name)
    {
        Name = name;
        _numbers = new List<double>();
    }

    /// <summary>A column of numbers read already (NaN: missing).</summary>
    public TabularColumn(string name, double[] numbers)
    {
        Name = name;
        _numbers = new List<double>(numbers);
    }

    /// <summary>The header's name of the column.</summary>
    public string Name { get; }

    /// <summary>Whether some cell is not a number (so the column can only be categorical).</summary>
    public bool HasText => _texts != null;

    /// <summary>Row index of the first cell that is not a number, or −1.</summary>
    public int FirstTextRow { get; private set; } = -1;

    /// <summary>Whether the cell of row <paramref name="row"/> is missing.</summary>
    public bool IsMissing(int row) => double.IsNaN(_numbers[row]) && (_texts == null || _texts[row] == null);

    /// <summary>The number in row <paramref name="row"/> (NaN when missing or not a number).</summary>
    public double Number(int row) => _numbers[row];

    /// <summary>The cell of row <paramref name="row"/> as a level: its text, a number in its shortest form, or null when missing.</summary>
    public string? Text(int row) => _texts != null ? _texts[row] : double.IsNaN(_numbers[row]) ? null : Canonical(_numbers[row]);

    /// <summary>Appends a trimmed cell; returns false when it is a number that is not finite (±Infinity).</summary>
    public bool Add(string cell)
    {
        if (TabularTable.IsMissingToken(cell))
        {
            _numbers.Add(double.NaN);
            _texts?.Add(null);
            return true;
        }
        if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            if (!double.IsFinite(value)) return false;
            _numbers.Add(value);
            _texts?.Add(Canonical(value));
            return true;
        }
        if (_texts == null)
        {
            FirstTextRow = _numbers.Count;
            _texts = new List<string?>(_numbers.Count + 16);
            foreach (double v in _numbers) _texts.Add(double.IsNaN(v) ? null : Canonical(v));
        }
        _numbers.Add(double.NaN);
        _texts.Add(cell);
        return true;
    }

    private static string Canonical(double v) => (v == 0 ? 0.0 : v).ToString("R", CultureInfo.InvariantCulture);
}
