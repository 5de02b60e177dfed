using System.Globalization;
using System.Text;

namespace TorchLogistic.Tests.Export;

/// <summary>
/// A seeded tabular CSV with two numeric columns (one with missing cells), two categorical ones (one with missing
/// cells) and a three-class label that depends on all of them; numbers are multiples of 1/4, exact in float32.
/// </summary>
internal sealed class TabularSample
{
    public static readonly string[] Columns = { "age", "colour", "size", "city" };

    private TabularSample(string[][] cells, string csv) => (Cells, Csv) = (cells, csv);

    /// <summary>Row-major raw cells of the feature columns (missing: "" or "NA").</summary>
    public string[][] Cells { get; }

    /// <summary>The file, with the label column last.</summary>
    public string Csv { get; }

    public static TabularSample Create(int rows = 300, int seed = 7)
    {
        var random = new Random(seed);
        string[] colours = { "blue", "green", "red" }, cities = { "Lyon", "Oslo", "Porto", "Quito" };
        var cells = new string[rows][];
        var text = new StringBuilder("age,colour,size,city,label\n");
        for (int i = 0; i < rows; i++)
        {
            double age = Math.Round(random.NextDouble() * 240) / 4, size = Math.Round(random.NextDouble() * 40 - 20) / 4;
            int colour = random.Next(3), city = random.Next(4);
            double score = 0.05 * (age - 30) + (colour == 2 ? 1.5 : colour == 1 ? -1 : 0) + 0.4 * size + (city == 3 ? 1 : 0) + random.NextDouble() * 2 - 1;
            string label = score < -0.7 ? "low" : score < 0.9 ? "mid" : "high";
            string ageCell = random.NextDouble() < 0.1 ? (i % 2 == 0 ? "" : "NA") : age.ToString("R", CultureInfo.InvariantCulture);
            string colourCell = random.NextDouble() < 0.1 ? (i % 2 == 0 ? "" : "NA") : colours[colour];
            cells[i] = new[] { ageCell, colourCell, size.ToString("R", CultureInfo.InvariantCulture), cities[city] };
            text.Append(string.Join(",", cells[i])).Append(',').Append(label).Append('\n');
        }
        return new TabularSample(cells, text.ToString());
    }
}
