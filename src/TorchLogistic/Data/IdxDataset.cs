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
    public const double DefaultPixelScale = 1.0 / 255;

    /// <summary>Reads and checks an image file and its label file.</summary>
    /// <param name="name">Name of the data set, used in messages and as <see cref="Dataset.Name"/>.</param>
    /// <param name="imagesPath">IDX file of images, ubyte, shape <c>[n, rows, cols]</c> or <c>[n, d]</c>.</param>
    /// <param name="labelsPath">IDX file of labels, ubyte, shape <c>[n]</c>, each in <c>[0, classes.Length)</c>.</param>
    /// <param name="classes">Class names; label k is <c>classes[k]</c>.</param>
    /// <param name="pixelScale">Factor applied to every pixel (default 1/255).</param>
    /// <exception cref="DataFormatException">A file is invalid, or the two do not match each other or the classes.</exception>
    public static Dataset Load(string name, string imagesPath, string labelsPath, string[] classes, double pixelScale = DefaultPixelScale)
    {
        var labels = IdxFile.Read(labelsPath);
        var images = IdxFile.Read(imagesPath);
        return FromArrays(name, images, labels, classes, imagesPath, labelsPath, pixelScale);
    }

    /// <summary>
    /// The data set of already-read <paramref name="images"/> and <paramref name="labels"/>; the paths only name
    /// them in messages.
    /// </summary>
    public static Dataset FromArrays(string name, IdxArray images, IdxArray labels, string[] classes, string imagesPath, string labelsPath,
        double pixelScale = DefaultPixelScale)
    {
        CheckPair(images.Type, images.Shape, labels.Type, labels.Shape, imagesPath, labelsPath);
        int n = images.Shape[0];
        for (int i = 0; i < n; i++) CheckLabel(labels.Data[i], i, classes.Length, name, labelsPath);
        string[] featureNames = FeatureNames(images.Shape);
        int[] y = labels.Data.Select(b => (int)b).ToArray();
        return new Dataset(name, images.ToDoubles(pixelScale), n, featureNames.Length, y, classes, featureNames);
    }

    /// <summary>
    /// Checks that an image file (unsigned bytes, <c>[n, rows, cols]</c> or <c>[n, d]</c>) and a label file (unsigned
    /// bytes, <c>[n]</c>) belong together, from their headers alone.
    /// </summary>
    /// <exception cref="DataFormatException">A file has the wrong type or shape, the files are swapped, or the counts differ.</exception>
    public static void CheckPair(IdxType imagesType, int[] imagesShape, IdxType labelsType, int[] labelsShape, string imagesPath, string labelsPath)
    {
        if (labelsType != IdxType.UnsignedByte || labelsShape.Length != 1)
            throw new DataFormatException($"'{labelsPath}' holds {labelsType} of shape [{string.Join(", ", labelsShape)}]; a label file holds one unsigned byte per image (magic 0x00000801). Is it an image file?");
        if (imagesType != IdxType.UnsignedByte || imagesShape.Length is not (2 or 3))
            throw new DataFormatException($"'{imagesPath}' holds {imagesType} of shape [{string.Join(", ", imagesShape)}]; an image file holds unsigned bytes of shape [n, rows, cols] (magic 0x00000803). Is it a label file?");
        int n = imagesShape[0];
        if (labelsShape[0] != n)
            throw new DataFormatException($"'{imagesPath}' has {n} images but '{labelsPath}' has {labelsShape[0]} labels. The files do not belong together (train and test mixed up?).");
        long pixels = imagesShape.Skip(1).Aggregate(1L, (a, b) => a * b);
        if (pixels == 0)
            throw new DataFormatException($"'{imagesPath}' has images of shape [{string.Join(", ", imagesShape.Skip(1))}], without pixels.");
    }

    /// <summary>Checks that <paramref name="label"/>, of row <paramref name="row"/>, is a class index below <paramref name="classCount"/>.</summary>
    /// <exception cref="DataFormatException">It is not.</exception>
    public static void CheckLabel(byte label, long row, int classCount, string name, string labelsPath)
    {
        if (label >= classCount)
            throw new DataFormatException($"'{labelsPath}': label {label} at row {row} is not a class index of {name} (0 to {classCount - 1}). The file is corrupt.");
    }

    /// <summary>The feature names of images of shape <c>[n, rows, cols]</c> (<c>pixel_r_c</c>) or <c>[n, d]</c> (<c>pixel_j</c>).</summary>
    public static string[] FeatureNames(int[] imagesShape) => imagesShape.Length == 3
        ? Enumerable.Range(0, imagesShape[1]).SelectMany(r => Enumerable.Range(0, imagesShape[2]).Select(c => string.Create(CultureInfo.InvariantCulture, $"pixel_{r}_{c}"))).ToArray()
        : Enumerable.Range(0, imagesShape[1]).Select(j => string.Create(CultureInfo.InvariantCulture, $"pixel_{j}")).ToArray();
}
