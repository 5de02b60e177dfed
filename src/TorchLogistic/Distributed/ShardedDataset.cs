using System.Text;
using TorchLogistic.Data;

namespace TorchLogistic.Distributed;

/// <summary>
/// Reads this rank's rows of a data set: a contiguous row range (<see cref="RowShard.Of"/>) of one CSV file or of a
/// built-in data set (fashion-mnist: its official training rows, read as a row range of its IDX files), of an IDX
/// image file (its labels beside it), or — when the path holds <see cref="RankPlaceholder"/>
/// — the whole of this rank's own file. Every rank ends with the same class list (the union of every shard's labels,
/// in <see cref="CsvDataset.ClassOrder"/>, so one process reading all rows would number them the same; a built-in
/// data set's own classes) and the
/// same feature names, agreed by broadcast.
/// </summary>
public static class ShardedDataset
{
    /// <summary>In a data path, stands for the rank: <c>part-{rank}.csv</c> is read as part-0.csv on rank 0, part-1.csv on rank 1, ….</summary>
    public const string RankPlaceholder = "{rank}";

    /// <summary>This rank's rows of <paramref name="nameOrPath"/>, with agreed classes, and where they sit among all rows.</summary>
    /// <param name="communicator">The ranks.</param>
    /// <param name="nameOrPath">A built-in name, a CSV path, or a CSV path pattern holding <see cref="RankPlaceholder"/>.</param>
    /// <param name="label">Label column of a CSV (default the last).</param>
    /// <param name="sampleWeight">Sample-weight column of a CSV, or null.</param>
    /// <param name="dataDir">Folder of a built-in data set read from files.</param>
    public static (Dataset Local, RowShard Shard) Load(ICommunicator communicator, string nameOrPath, string? label = null, string? sampleWeight = null, string? dataDir = null)
    {
        Dataset local;
        RowShard shard;
        if (nameOrPath.Contains(RankPlaceholder, StringComparison.Ordinal))
        {
            string path = nameOrPath.Replace(RankPlaceholder, communicator.Rank.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            local = File.Exists(path) && DataStreams.IsIdx(path) ? ReadIdxRows(path, DataStreams.LabelsBeside(path), null, null) : CsvDataset.Load(path, label, sampleWeight);
            shard = RowShard.Agree(communicator, local.SampleCount);
        }
        else if (nameOrPath == FashionMnist.Name)
        {
            Datasets.CheckDataDir(nameOrPath, dataDir);
            string[] files = FashionMnist.Files(dataDir);
            local = ReadIdxRows(files[0], files[1], communicator, FashionMnist.Classes.ToArray());
            shard = RowShard.Of(IdxRowCount(files[0]), communicator.Rank, communicator.Size);
            CheckFeatures(communicator, local);
            return (local, shard);
        }
        else if (BuiltinDatasets.Contains(nameOrPath))
        {
            var all = BuiltinDatasets.HasOfficialSplit(nameOrPath) ? BuiltinDatasets.LoadOfficialSplit(nameOrPath, dataDir).Train : Datasets.Load(nameOrPath, label, sampleWeight, dataDir);
            shard = RowShard.Of(all.SampleCount, communicator.Rank, communicator.Size);
            local = all.Subset(Enumerable.Range(checked((int)shard.Offset), checked((int)shard.Count)).ToArray());
            // A built-in data set's classes are known, in its own order; no agreement needed.
            CheckFeatures(communicator, local);
            return (local, shard);
        }
        else if (File.Exists(nameOrPath) && DataStreams.IsIdx(nameOrPath))
        {
            local = ReadIdxRows(nameOrPath, DataStreams.LabelsBeside(nameOrPath), communicator, null);
            shard = RowShard.Of(IdxRowCount(nameOrPath), communicator.Rank, communicator.Size);
        }
        else
        {
            long total = CountRows(nameOrPath);
            shard = RowShard.Of(total, communicator.Rank, communicator.Size);
            local = ReadRows(nameOrPath, shard, label, sampleWeight);
        }
        CheckFeatures(communicator, local);
        var classes = CsvDataset.ClassOrder(communicator.Union(local.Classes));
        var index = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        var labels = local.Labels.Select(l => index[local.Classes[l]]).ToArray();
        var agreed = new Dataset(local.Name, local.Features, local.SampleCount, local.FeatureCount, labels, classes, local.FeatureNames, local.SampleWeight);
        return (agreed, shard);
    }

    /// <summary>Data rows of a CSV file (non-blank lines after the header), without parsing them.</summary>
    public static long CountRows(string path)
    {
        using var reader = Open(path);
        long rows = 0;
        bool header = false;
        string? line;
        int lineNumber = 0;
        while ((line = CsvText.ReadLine(reader, path, ++lineNumber)) != null)
        {
            if (line.Trim().Length == 0) continue;
            if (header) rows++;
            else header = true;
        }
        return rows;
    }

    /// <summary>The header and the data rows of <paramref name="shard"/> of a CSV file, parsed as <see cref="CsvDataset.Read"/> parses a file.</summary>
    private static Dataset ReadRows(string path, RowShard shard, string? label, string? sampleWeight)
    {
        if (shard.Count == 0)
            throw new DataFormatException($"'{CsvText.Cut(path)}' has {shard.Total} data rows, fewer than the ranks of this job; every rank needs at least one row. Launch fewer ranks.");
        using var reader = Open(path);
        var text = new StringBuilder();
        long row = -1;
        string? line;
        int lineNumber = 0;
        while ((line = CsvText.ReadLine(reader, path, ++lineNumber)) != null)
        {
            if (line.Trim().Length == 0) continue;
            if (row < 0 || shard.Contains(row)) text.Append(line).Append('\n');
            row++;
            if (row >= shard.Offset + shard.Count) break;
        }
        return CsvDataset.Read(new StringReader(text.ToString()), path, label, sampleWeight);
    }

    /// <summary>Images of an IDX image file (its labels beside it, MNIST's naming).</summary>
    private static long IdxRowCount(string imagesPath)
    {
        using var images = IdxReader.Open(imagesPath);
        return images.Shape[0];
    }

    /// <summary>
    /// The rows of an IDX image file and its labels: this rank's row range (<paramref name="rangeOf"/>), or every row
    /// (null: one file per rank). Pixels scaled by <see cref="IdxDataset.DefaultPixelScale"/>; the classes are
    /// <paramref name="classNames"/> (label k is class k), or else the label values, as <c>train --stream</c> names them.
    /// </summary>
    private static Dataset ReadIdxRows(string imagesPath, string labelsPath, ICommunicator? rangeOf, string[]? classNames)
    {
        using var images = IdxReader.Open(imagesPath);
        using var labels = IdxReader.Open(labelsPath);
        IdxDataset.CheckPair(images.Type, images.Shape, labels.Type, labels.Shape, imagesPath, labelsPath);
        int n = images.Shape[0];
        int pixels = checked((int)images.Shape.Skip(1).Aggregate(1L, (a, b) => a * b));
        var shard = rangeOf == null ? new RowShard(0, n, n) : RowShard.Of(n, rangeOf.Rank, rangeOf.Size);
        if (shard.Count == 0)
            throw new DataFormatException($"'{CsvText.Cut(imagesPath)}' has {n} images, fewer than the ranks of this job; every rank needs at least one row. Launch fewer ranks.");
        var skip = new byte[Math.Min(shard.Offset, 4096) * pixels];
        for (long left = shard.Offset; left > 0; left -= skip.Length / pixels)
        {
            int rows = (int)Math.Min(left, skip.Length / pixels);
            images.Read(skip.AsSpan(0, rows * pixels));
        }
        var labelBytes = new byte[shard.Offset + shard.Count];
        labels.Read(labelBytes);
        var pixelBytes = new byte[checked((int)(shard.Count * pixels))];
        images.Read(pixelBytes);
        var own = labelBytes.Skip(checked((int)shard.Offset)).ToArray();
        string[] classes;
        int[] y;
        if (classNames != null)
        {
            for (int i = 0; i < own.Length; i++) IdxDataset.CheckLabel(own[i], shard.Offset + i, classNames.Length, imagesPath, labelsPath);
            (classes, y) = (classNames, own.Select(b => (int)b).ToArray());
        }
        else
        {
            (classes, y) = CsvDataset.EncodeLabels(own.Select(b => b.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        }
        var features = new double[pixelBytes.Length];
        for (int i = 0; i < features.Length; i++) features[i] = pixelBytes[i] * IdxDataset.DefaultPixelScale;
        return new Dataset(classNames != null ? FashionMnist.Name : imagesPath, features, checked((int)shard.Count), pixels, y, classes, IdxDataset.FeatureNames(images.Shape));
    }

    private static TextReader Open(string path) =>
        CsvText.Open(path, $"Data file '{CsvText.Cut(path)}' does not exist. Pass a CSV path, a pattern with {RankPlaceholder}, or a built-in name ({string.Join(", ", BuiltinDatasets.Names)}).");

    /// <summary>Refuses shards whose columns differ from rank 0's.</summary>
    private static void CheckFeatures(ICommunicator communicator, Dataset local)
    {
        byte[] mine = Encoding.UTF8.GetBytes(string.Join('\0', local.FeatureNames));
        byte[] first = communicator.BroadcastPayload(mine, root: 0);
        if (!first.AsSpan().SequenceEqual(mine))
            throw new DataFormatException($"Rank {communicator.Rank}'s data '{CsvText.Cut(local.Name)}' has other feature columns than rank 0's. Every shard needs the same header.");
    }
}
