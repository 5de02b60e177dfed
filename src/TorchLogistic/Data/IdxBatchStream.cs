using System.Globalization;

namespace TorchLogistic.Data;

/// <summary>
/// An MNIST-format pair of IDX files — images <c>[n, rows, cols]</c> (or <c>[n, d]</c>) and labels <c>[n]</c>, unsigned
/// bytes, raw or gzip — streamed in mini-batches (see <see cref="BatchStream"/>) with <see cref="IdxDataset"/>'s rows:
/// the same header checks (<see cref="IdxReader"/>, <see cref="IdxDataset.CheckPair"/>), feature names and pixel
/// scale, so a pass yields exactly the rows <see cref="IdxDataset.Load"/> holds in memory. Labels are either class
/// indices into known class names (Fashion-MNIST) or values whose distinct values are the classes, in numeric order.
/// </summary>
public sealed class IdxBatchStream : BatchStream
{
    private const int LabelChunk = 4096;
    private readonly string _imagesPath;
    private readonly string _labelsPath;
    private readonly string[]? _classNames;
    private readonly LabelIndex? _values;
    private readonly double _pixelScale;
    private readonly long _rowsInFile;
    private readonly byte[] _pixels;
    private readonly byte[] _labelBytes = new byte[LabelChunk];
    private static readonly string[] ByteText = Enumerable.Range(0, 256).Select(b => b.ToString(CultureInfo.InvariantCulture)).ToArray();
    private IdxReader? _images;
    private IdxReader? _labels;
    private long _row;
    private int _labelAt;
    private int _labelEnd;

    private IdxBatchStream(string name, string imagesPath, string labelsPath, int[] shape, string[]? classNames, string[]? classes,
        int batchSize, int shuffleBuffer, int seed, double pixelScale)
        : base(name, IdxDataset.FeatureNames(shape), batchSize, hasSampleWeight: false, shuffleBuffer, seed)
    {
        _imagesPath = imagesPath;
        _labelsPath = labelsPath;
        _classNames = classNames;
        _values = classNames == null ? new LabelIndex(classes) : null;
        _pixelScale = pixelScale;
        _rowsInFile = shape[0];
        _pixels = new byte[FeatureCount];
    }

    /// <inheritdoc />
    public override string[] Classes => _classNames ?? _values!.Known ?? throw new InvalidOperationException("The classes are known after the opening pass.");

    /// <summary>Opens an image file and its label file and makes the opening pass over them.</summary>
    /// <param name="imagesPath">IDX file of images, ubyte, shape <c>[n, rows, cols]</c> or <c>[n, d]</c>.</param>
    /// <param name="labelsPath">IDX file of labels, ubyte, shape <c>[n]</c>.</param>
    /// <param name="batchSize">Rows per batch, ≥ 1.</param>
    /// <param name="name">What the data is, in messages (default: the image file's path).</param>
    /// <param name="classNames">Names of the classes, label b being class b (Fashion-MNIST's); null: the labels are values (below).</param>
    /// <param name="classes">Without class names: the classes, as label values in text, that labels must belong to (a test file: the training file's), or null to discover them.</param>
    /// <param name="shuffleBuffer">Rows in the shuffle buffer of shuffled passes (default 0: file order).</param>
    /// <param name="seed">Seed of the shuffle buffer (default 0).</param>
    /// <param name="pixelScale">Factor applied to every pixel (default 1/255).</param>
    /// <exception cref="DataFormatException">A file is missing or invalid, the files do not belong together, or a label is not a class.</exception>
    public static IdxBatchStream Open(string imagesPath, string labelsPath, int batchSize, string? name = null, string[]? classNames = null,
        string[]? classes = null, int shuffleBuffer = 0, int seed = 0, double pixelScale = IdxDataset.DefaultPixelScale)
    {
        int[] shape;
        using (var labelsFile = IdxReader.Open(labelsPath))
        using (var imagesFile = IdxReader.Open(imagesPath))
        {
            IdxDataset.CheckPair(imagesFile.Type, imagesFile.Shape, labelsFile.Type, labelsFile.Shape, imagesPath, labelsPath);
            shape = imagesFile.Shape;
        }
        var stream = new IdxBatchStream(name ?? imagesPath, imagesPath, labelsPath, shape, classNames, classes, batchSize, shuffleBuffer, seed, pixelScale);
        return AfterOpeningPass(stream);
    }

    /// <inheritdoc />
    protected override void StartPass()
    {
        Close();
        _labels = IdxReader.Open(_labelsPath);
        _images = IdxReader.Open(_imagesPath);
        IdxDataset.CheckPair(_images.Type, _images.Shape, _labels.Type, _labels.Shape, _imagesPath, _labelsPath);
        if (_images.Shape[0] != _rowsInFile || _images.Shape.Skip(1).Aggregate(1L, (a, b) => a * b) != FeatureCount)
            throw new DataFormatException($"'{_imagesPath}' changed while it was being read: its header now declares shape [{string.Join(", ", _images.Shape)}]. Do not modify the data during training; start again.");
        _row = 0;
        _labelAt = _labelEnd = 0;
    }

    /// <inheritdoc />
    protected override bool ReadRow(Span<double> features, out int label, out double weight)
    {
        weight = 1.0;
        label = 0;
        if (_row == _rowsInFile) return false;
        if (_labelAt == _labelEnd)
        {
            _labelEnd = (int)Math.Min(LabelChunk, _rowsInFile - _row);
            _labels!.Read(_labelBytes.AsSpan(0, _labelEnd));
            _labelAt = 0;
        }
        byte value = _labelBytes[_labelAt++];
        if (_classNames != null)
        {
            IdxDataset.CheckLabel(value, _row, _classNames.Length, Name, _labelsPath);
            label = value;
        }
        else
        {
            long at = _row;
            label = _values!.Of(ByteText[value], () => $"'{_labelsPath}' row {at}");
        }
        _images!.Read(_pixels);
        for (int j = 0; j < _pixels.Length; j++) features[j] = _pixels[j] * _pixelScale;
        _row++;
        return true;
    }

    /// <inheritdoc />
    protected override void EndPass()
    {
        _images!.CheckEnd();
        _labels!.CheckEnd();
    }

    /// <inheritdoc />
    protected override int[]? FinishClasses() => _values?.Finish();

    /// <inheritdoc />
    protected override string NoRowsMessage => $"'{_imagesPath}' holds no images. Streaming needs at least one row.";

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) Close();
    }

    private void Close()
    {
        _images?.Dispose();
        _labels?.Dispose();
        _images = _labels = null;
    }
}
