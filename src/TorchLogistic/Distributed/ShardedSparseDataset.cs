using TorchLogistic.Data;
using TorchLogistic.Sparse;

namespace TorchLogistic.Distributed;

/// <summary>
/// Reads this rank's rows of a LIBSVM/svmlight file (<see cref="LibSvmFile"/>, gunzipped when it ends in .gz): the
/// contiguous row range <see cref="RowShard.Of"/> gives it (a counting pass, then only its lines are parsed, by
/// <see cref="LibSvmFile.ParseLine"/> with the file's line numbers), or — when the path holds
/// <see cref="ShardedDataset.RankPlaceholder"/> — the whole of its own file. Every rank ends with the same feature
/// count (the largest index over all ranks, agreed by allreduce) and the same classes (the union of every shard's
/// labels, in <see cref="CsvDataset.ClassOrder"/>, the order one process reading all rows gives them).
/// </summary>
public static class ShardedSparseDataset
{
    /// <summary>This rank's rows of <paramref name="path"/>, with agreed classes and feature count, and where they sit among all rows.</summary>
    /// <param name="communicator">The ranks.</param>
    /// <param name="path">A LIBSVM path, or a path pattern holding <see cref="ShardedDataset.RankPlaceholder"/>.</param>
    public static (SparseDataset Local, RowShard Shard) Load(ICommunicator communicator, string path)
    {
        SparseDataset local;
        RowShard shard;
        if (path.Contains(ShardedDataset.RankPlaceholder, StringComparison.Ordinal))
        {
            string own = path.Replace(ShardedDataset.RankPlaceholder, communicator.Rank.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            local = LibSvmFile.Load(own);
            shard = RowShard.Agree(communicator, local.SampleCount);
        }
        else
        {
            shard = RowShard.Of(CountRows(path), communicator.Rank, communicator.Size);
            local = ReadRows(path, shard);
        }
        long[] widths = communicator.AllLengths(local.FeatureCount);
        int d = checked((int)widths.Max());
        var classes = CsvDataset.ClassOrder(communicator.Union(local.Classes));
        var index = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        var labels = local.Labels.Select(l => index[local.Classes[l]]).ToArray();
        var x = local.Features;
        var matrix = new CsrMatrix(x.RowCount, d, x.RowPointers, x.ColumnIndices, x.Values);
        return (new SparseDataset(local.Name, matrix, labels, classes, local.SampleWeight), shard);
    }

    /// <summary>LIBSVM rows of a file (lines with a label before any '#' comment), without parsing them.</summary>
    /// <param name="path">The file.</param>
    public static long CountRows(string path)
    {
        using var reader = Open(path);
        long rows = 0;
        string? line;
        while ((line = reader.ReadLine()) != null)
        {
            if (IsRow(line)) rows++;
        }
        return rows;
    }

    /// <summary>The rows of <paramref name="shard"/>, parsed as <see cref="LibSvmFile.Read"/> parses a file.</summary>
    private static SparseDataset ReadRows(string path, RowShard shard)
    {
        if (shard.Count == 0)
            throw new DataFormatException($"'{path}' has {shard.Total} LIBSVM rows, fewer than the ranks of this job; every rank needs at least one row. Launch fewer ranks.");
        using var reader = Open(path);
        var pointers = new List<int> { 0 };
        var columns = new List<int>();
        var values = new List<double>();
        var labels = new List<string>();
        int maxIndex = 0;
        int lineNumber = 0;
        long row = 0;
        string? line;
        while (row < shard.Offset + shard.Count && (line = reader.ReadLine()) != null)
        {
            lineNumber++;
            if (!IsRow(line)) continue;
            if (row++ < shard.Offset) continue;
            if (!LibSvmFile.ParseLine(line, path, lineNumber, null, columns, values, out double label, out int last)) continue;
            labels.Add(LibSvmFile.LabelText(label));
            maxIndex = Math.Max(maxIndex, last);
            if (values.Count == int.MaxValue) throw new DataFormatException($"'{path}' has more than {int.MaxValue} non-zeros in one rank's rows, more than one sparse matrix holds. Launch more ranks.");
            pointers.Add(values.Count);
        }
        return LibSvmFile.Assemble(path, labels, pointers.ToArray(), columns.ToArray(), values.ToArray(), maxIndex, null, null);
    }

    /// <summary>Whether a line holds a row: a token before any '#' (<see cref="LibSvmFile.ParseLine"/>'s rule).</summary>
    private static bool IsRow(string line)
    {
        var text = line.AsSpan();
        int hash = text.IndexOf('#');
        if (hash >= 0) text = text[..hash];
        return !text.Trim().IsEmpty;
    }

    private static StreamReader Open(string path)
    {
        if (!File.Exists(path)) throw new DataFormatException($"LIBSVM file '{path}' does not exist. Pass a LIBSVM path, or a pattern with {ShardedDataset.RankPlaceholder}.");
        return LibSvmFile.OpenText(path);
    }
}
