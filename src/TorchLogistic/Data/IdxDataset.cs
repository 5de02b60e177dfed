using System.Globalization;

namespace TorchLogistic.Data;

/// <summary>
/// A labelled data set from an MNIST-format pair of IDX files: images <c>[n, rows, cols]</c> (or <c>[n, d]</c>)
/// and labels <c>[n]</c>, both unsigned bytes. Each image becomes one row of <c>rows·cols</c> features named
/// <c>pixel_r_c</c>, each pixel times <c>pixel_scale</c> (1/255 by default, so [0, 255] becomes [0, 1]).
/// </summary>
public static class IdxDataset
{
    /// <summary>The factor applied to every pixel by default: 1/255, so [0, 255] becomes [0, 1].</summary>
    public const double default_pixel_scale = 1.0 / 255;

    /// <summary>Reads and checks an image file and its label file.</summary>
    /// <param name="name">Name of the data set, used in messages and as <see cref="Dataset.name"/>.</param>
    /// <param name="images_path">IDX file of images, ubyte, shape <c>[n, rows, cols]</c> or <c>[n, d]</c>.</param>
    /// <param name="labels_path">IDX file of labels, ubyte, shape <c>[n]</c>, each in <c>[0, classes.Length)</c>.</param>
    /// <param name="classes">Class names; label k is <c>classes[k]</c>.</param>
    /// <param name="pixel_scale">Factor applied to every pixel (default 1/255).</param>
    /// <exception cref="DataFormatException">A file is invalid, or the two do not match each other or the classes.</exception>
    public static Dataset load(string name, string images_path, string labels_path, string[] classes, double pixel_scale = default_pixel_scale)
    {
        var labels = IdxFile.read(labels_path);
        var images = IdxFile.read(images_path);
        return from_arrays(name, images, labels, classes, images_path, labels_path, pixel_scale);
    }

    /// <summary>
    /// The data set of already-read <paramref name="images"/> and <paramref name="labels"/>; the paths only name
    /// them in messages.
    /// </summary>
    public static Dataset from_arrays(string name, IdxArray images, IdxArray labels, string[] classes, string images_path, string labels_path,
        double pixel_scale = default_pixel_scale)
    {
        check_pair(images.type, images.shape, labels.type, labels.shape, images_path, labels_path);
        int n = images.shape[0];
        for (int i = 0; i < n; i++) check_label(labels.data[i], i, classes.Length, name, labels_path);
        string[] featureNames = feature_names(images.shape);
        int[] y = labels.data.Select(b => (int)b).ToArray();
        return new Dataset(name, images.to_doubles(pixel_scale), n, featureNames.Length, y, classes, featureNames);
    }

    /// <summary>
    /// Checks that an image file (unsigned bytes, <c>[n, rows, cols]</c> or <c>[n, d]</c>) and a label file (unsigned
    /// bytes, <c>[n]</c>) belong together, from their headers alone.
    /// </summary>
    /// <exception cref="DataFormatException">A file has the wrong type or shape, the files are swapped, or the counts differ.</exception>
    public static void check_pair(IdxType images_type, int[] images_shape, IdxType labels_type, int[] labels_shape, string images_path, string labels_path)
    {
        if (labels_type != IdxType.UnsignedByte || labels_shape.Length != 1)
            throw new DataFormatException($"'{labels_path}' holds {labels_type} of shape [{string.Join(", ", labels_shape)}]; a label file holds one unsigned byte per image (magic 0x00000801). Is it an image file?");
        if (images_type != IdxType.UnsignedByte || images_shape.Length is not (2 or 3))
            throw new DataFormatException($"'{images_path}' holds {images_type} of shape [{string.Join(", ", images_shape)}]; an image file holds unsigned bytes of shape [n, rows, cols] (magic 0x00000803). Is it a label file?");
        int n = images_shape[0];
        if (labels_shape[0] != n)
            throw new DataFormatException($"'{images_path}' has {n} images but '{labels_path}' has {labels_shape[0]} labels. The files do not belong together (train and test mixed up?).");
        long pixels = images_shape.Skip(1).Aggregate(1L, (a, b) => a * b);
        if (pixels == 0)
            throw new DataFormatException($"'{images_path}' has images of shape [{string.Join(", ", images_shape.Skip(1))}], without pixels.");
    }

    /// <summary>Checks that <paramref name="label"/>, of row <paramref name="row"/>, is a class index below <paramref name="n_classes"/>.</summary>
    /// <exception cref="DataFormatException">It is not.</exception>
    public static void check_label(byte label, long row, int n_classes, string name, string labels_path)
    {
        if (label >= n_classes)
            throw new DataFormatException($"'{labels_path}': label {label} at row {row} is not a class index of {name} (0 to {n_classes - 1}). The file is corrupt.");
    }

    /// <summary>The feature names of images of shape <c>[n, rows, cols]</c> (<c>pixel_r_c</c>) or <c>[n, d]</c> (<c>pixel_j</c>).</summary>
    public static string[] feature_names(int[] images_shape) => images_shape.Length == 3
        ? Enumerable.Range(0, images_shape[1]).SelectMany(r => Enumerable.Range(0, images_shape[2]).Select(c => string.Create(CultureInfo.InvariantCulture, $"pixel_{r}_{c}"))).ToArray()
        : Enumerable.Range(0, images_shape[1]).Select(j => string.Create(CultureInfo.InvariantCulture, $"pixel_{j}")).ToArray();
}
