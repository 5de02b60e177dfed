using System.Globalization;

namespace TorchLogistic.Data;

/// <summary>
/// An MNIST-format pair of IDX files — images <c>[n, rows, cols]</c> (or <c>[n, d]</c>) and labels <c>[n]</c>, unsigned
/// bytes, raw or gzip — streamed in mini-batches (see <see cref="BatchStream"/>) with <see cref="IdxDataset"/>'s rows:
/// the same header checks (<see cref="IdxReader"/>, <see cref="IdxDataset.check_pair"/>), feature names and pixel
/// scale, so a pass yields exactly the rows <see cref="IdxDataset.load"/> holds in memory. Labels are either class
/// indices into known class names (Fashion-MNIST) or values whose distinct values are the classes, in numeric order.
/// </summary>
public sealed class IdxBatchStream : BatchStream
{
    private const int LabelChunk = 4096;
    private readonly string imagesPath;
    private readonly string labelsPath;
    private readonly string[]? classNames;
    private readonly LabelIndex? values;
    private readonly double pixelScale;
    private readonly long rowsInFile;
    private readonly byte[] pixels;
    private readonly byte[] labelBytes = new byte[LabelChunk];
    private static readonly string[] ByteText = Enumerable.Range(0, 256).Select(b => b.ToString(CultureInfo.InvariantCulture)).ToArray();
    private IdxReader? images;
    private IdxReader? labels;
    private long row;
    private int labelAt;
    private int labelEnd;

    private IdxBatchStream(string name, string images_path, string labels_path, int[] shape, string[]? class_names, string[]? classes,
        int batch_size, int shuffle_buffer, int seed, double pixel_scale)
        : base(name, IdxDataset.feature_names(shape), batch_size, has_sample_weight: false, shuffle_buffer, seed)
    {
        imagesPath = images_path;
        labelsPath = labels_path;
        classNames = class_names;
        values = class_names == null ? new LabelIndex(classes) : null;
        pixelScale = pixel_scale;
        rowsInFile = shape[0];
        pixels = new byte[n_features];
    }

    /// <inheritdoc />
    public override string[] classes => classNames ?? values!.known ?? throw new InvalidOperationException("The classes are known after the opening pass.");

    /// <summary>Opens an image file and its label file and makes the opening pass over them.</summary>
    /// <param name="images_path">IDX file of images, ubyte, shape <c>[n, rows, cols]</c> or <c>[n, d]</c>.</param>
    /// <param name="labels_path">IDX file of labels, ubyte, shape <c>[n]</c>.</param>
    /// <param name="batch_size">Rows per batch, ≥ 1.</param>
    /// <param name="name">What the data is, in messages (default: the image file's path).</param>
    /// <param name="class_names">Names of the classes, label b being class b (Fashion-MNIST's); null: the labels are values (below).</param>
    /// <param name="classes">Without class names: the classes, as label values in text, that labels must belong to (a test file: the training file's), or null to discover them.</param>
    /// <param name="shuffle_buffer">Rows in the shuffle buffer of shuffled passes (default 0: file order).</param>
    /// <param name="seed">Seed of the shuffle buffer (default 0).</param>
    /// <param name="pixel_scale">Factor applied to every pixel (default 1/255).</param>
    /// <exception cref="DataFormatException">A file is missing or invalid, the files do not belong together, or a label is not a class.</exception>
    public static IdxBatchStream open(string images_path, string labels_path, int batch_size, string? name = null, string[]? class_names = null,
        string[]? classes = null, int shuffle_buffer = 0, int seed = 0, double pixel_scale = IdxDataset.default_pixel_scale)
    {
        int[] shape;
        using (var labelsFile = IdxReader.open(labels_path))
        using (var imagesFile = IdxReader.open(images_path))
        {
            IdxDataset.check_pair(imagesFile.type, imagesFile.shape, labelsFile.type, labelsFile.shape, images_path, labels_path);
            shape = imagesFile.shape;
        }
        var stream = new IdxBatchStream(name ?? images_path, images_path, labels_path, shape, class_names, classes, batch_size, shuffle_buffer, seed, pixel_scale);
        return after_opening_pass(stream);
    }

    /// <inheritdoc />
    protected override void start_pass()
    {
        close();
        labels = IdxReader.open(labelsPath);
        images = IdxReader.open(imagesPath);
        IdxDataset.check_pair(images.type, images.shape, labels.type, labels.shape, imagesPath, labelsPath);
        if (images.shape[0] != rowsInFile || images.shape.Skip(1).Aggregate(1L, (a, b) => a * b) != n_features)
            throw new DataFormatException($"'{imagesPath}' changed while it was being read: its header now declares shape [{string.Join(", ", images.shape)}]. Do not modify the data during training; start again.");
        row = 0;
        labelAt = labelEnd = 0;
    }

    /// <inheritdoc />
    protected override bool read_row(Span<double> features, out int label, out double weight)
    {
        weight = 1.0;
        label = 0;
        if (row == rowsInFile) return false;
        if (labelAt == labelEnd)
        {
            labelEnd = (int)Math.Min(LabelChunk, rowsInFile - row);
            labels!.read(labelBytes.AsSpan(0, labelEnd));
            labelAt = 0;
        }
        byte value = labelBytes[labelAt++];
        if (classNames != null)
        {
            IdxDataset.check_label(value, row, classNames.Length, name, labelsPath);
            label = value;
        }
        else
        {
            long at = row;
            label = values!.of(ByteText[value], () => $"'{labelsPath}' row {at}");
        }
        images!.read(pixels);
        for (int j = 0; j < pixels.Length; j++) features[j] = pixels[j] * pixelScale;
        row++;
        return true;
    }

    /// <inheritdoc />
    protected override void end_pass()
    {
        images!.check_end();
        labels!.check_end();
    }

    /// <inheritdoc />
    protected override int[]? finish_classes() => values?.finish();

    /// <inheritdoc />
    protected override string no_rows_message => $"'{imagesPath}' holds no images. Streaming needs at least one row.";

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) close();
    }

    private void close()
    {
        images?.Dispose();
        labels?.Dispose();
        images = labels = null;
    }
}
