using System.Globalization;

namespace TorchLogistic.Data;

/// <summary>
/// A labelled data set from an MNIST-format pair of IDX files: images <c>[n, rows, cols]</c> (or <c>[n, d]</c>)
/// and labels <c>[n]</c>, both unsigned bytes. Each image becomes one row of <c>rows·cols</c> features named
/// <c>pixel_r_c</c>, each pixel times <c>pixel_scale</c> (1/255 by default, so [0, 255] becomes [0, 1]).
/// </summary>
public static class IdxDataset
{
    /// <summary>Reads and checks an image file and its label file.</summary>
    /// <param name="name">Name of the data set, used in messages and as <see cref="Dataset.name"/>.</param>
    /// <param name="images_path">IDX file of images, ubyte, shape <c>[n, rows, cols]</c> or <c>[n, d]</c>.</param>
    /// <param name="labels_path">IDX file of labels, ubyte, shape <c>[n]</c>, each in <c>[0, classes.Length)</c>.</param>
    /// <param name="classes">Class names; label k is <c>classes[k]</c>.</param>
    /// <param name="pixel_scale">Factor applied to every pixel (default 1/255).</param>
    /// <exception cref="DataFormatException">A file is invalid, or the two do not match each other or the classes.</exception>
    public static Dataset load(string name, string images_path, string labels_path, string[] classes, double pixel_scale = 1.0 / 255)
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
        double pixel_scale = 1.0 / 255)
    {
        if (labels.type != IdxType.UnsignedByte || labels.shape.Length != 1)
            throw new DataFormatException($"'{labels_path}' holds {labels.type} of shape [{string.Join(", ", labels.shape)}]; a label file holds one unsigned byte per image (magic 0x00000801). Is it an image file?");
        if (images.type != IdxType.UnsignedByte || images.shape.Length is not (2 or 3))
            throw new DataFormatException($"'{images_path}' holds {images.type} of shape [{string.Join(", ", images.shape)}]; an image file holds unsigned bytes of shape [n, rows, cols] (magic 0x00000803). Is it a label file?");
        int n = images.shape[0];
        if (labels.shape[0] != n)
            throw new DataFormatException($"'{images_path}' has {n} images but '{labels_path}' has {labels.shape[0]} labels. The files do not belong together (train and test mixed up?).");
        long pixels = images.shape.Skip(1).Aggregate(1L, (a, b) => a * b);
        if (pixels == 0)
            throw new DataFormatException($"'{images_path}' has images of shape [{string.Join(", ", images.shape.Skip(1))}], without pixels.");
        for (int i = 0; i < n; i++)
        {
            if (labels.data[i] >= classes.Length)
                throw new DataFormatException($"'{labels_path}': label {labels.data[i]} at row {i} is not a class index of {name} (0 to {classes.Length - 1}). The file is corrupt.");
        }
        string[] featureNames = images.shape.Length == 3
            ? Enumerable.Range(0, images.shape[1]).SelectMany(r => Enumerable.Range(0, images.shape[2]).Select(c => string.Create(CultureInfo.InvariantCulture, $"pixel_{r}_{c}"))).ToArray()
            : Enumerable.Range(0, images.shape[1]).Select(j => string.Create(CultureInfo.InvariantCulture, $"pixel_{j}")).ToArray();
        int[] y = labels.data.Select(b => (int)b).ToArray();
        return new Dataset(name, images.to_doubles(pixel_scale), n, checked((int)pixels), y, classes, featureNames);
    }
}
