namespace TorchLogistic.Data;

/// <summary>
/// Fashion-MNIST (Xiao, Rasul, Vollgraf 2017, Zalando Research): 28×28 grey-level images of 10 kinds of
/// clothing, with the official split of 60 000 training and 10 000 test images. Not shipped in the library:
/// it is read from the four IDX files (gzip or raw) in <see cref="DefaultDirectory"/> — where Debian's
/// package <c>dataset-fashion-mnist</c> installs them — or in a folder the caller names. Features are the 784
/// pixels <c>pixel_r_c</c> scaled to [0, 1].
/// </summary>
public static class FashionMnist
{
    /// <summary>The built-in name: <c>fashion-mnist</c>.</summary>
    public const string Name = "fashion-mnist";

    /// <summary>Where <c>apt-get install dataset-fashion-mnist</c> puts the files.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>The classes, label 0 first.</summary>
    public static IReadOnlyList<string> Classes { get; } = new[]
    {
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    };

    /// <summary>Base names of the four files (each may also end in <c>.gz</c>).</summary>
    public static IReadOnlyList<string> FileNames { get; } = new[]
    {
        "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
    };

    /// <summary>Loads the official training part (60 000 rows) and test part (10 000 rows).</summary>
    /// <param name="dataDir">Folder holding the four files; null means <see cref="DefaultDirectory"/>.</param>
    /// <exception cref="DataFormatException">A file is missing (the message names the package to install) or invalid.</exception>
    public static (Dataset Train, Dataset Test) Load(string? dataDir = null)
    {
        string[] paths = Files(dataDir);
        string[] names = Classes.ToArray();
        return (IdxDataset.Load(Name, paths[0], paths[1], names), IdxDataset.Load(Name, paths[2], paths[3], names));
    }

    /// <summary>Reads only the label files: the class index of each training row and each test row.</summary>
    /// <param name="dataDir">Folder holding the files; null means <see cref="DefaultDirectory"/>.</param>
    public static (int[] Train, int[] Test) LoadLabels(string? dataDir = null)
    {
        string dir = dataDir ?? DefaultDirectory;
        int[] Labels(string file)
        {
            string path = Find(dir, file);
            var array = IdxFile.Read(path);
            if (array.Type != IdxType.UnsignedByte || array.Shape.Length != 1)
                throw new DataFormatException($"'{path}' holds {array.Type} of shape [{string.Join(", ", array.Shape)}], not one unsigned byte per image.");
            return array.Data.Select(b => (int)b).ToArray();
        }
        return (Labels(FileNames[1]), Labels(FileNames[3]));
    }

    /// <summary>
    /// The paths of the four files in the order of <see cref="FileNames"/> (training images, training labels, test
    /// images, test labels), each the <c>.gz</c> file if present, else the raw one.
    /// </summary>
    /// <param name="dataDir">Folder holding the files; null means <see cref="DefaultDirectory"/>.</param>
    /// <exception cref="DataFormatException">A file is missing (the message names the package to install).</exception>
    public static string[] Files(string? dataDir = null)
    {
        string dir = dataDir ?? DefaultDirectory;
        return FileNames.Select(f => Find(dir, f)).ToArray();
    }

    /// <summary>The path of <paramref name="file"/> or <paramref name="file"/>.gz in <paramref name="dir"/>.</summary>
    private static string Find(string dir, string file)
    {
        foreach (string candidate in new[] { file + ".gz", file })
        {
            string path = Path.Combine(dir, candidate);
            if (File.Exists(path)) return path;
        }
        string where = Directory.Exists(dir) ? $"'{dir}' has no {file}.gz or {file}" : $"the folder '{dir}' does not exist";
        throw new DataFormatException(
            $"Fashion-MNIST is not available: {where}. Install it with 'apt-get install dataset-fashion-mnist' " +
            $"(Debian; files go to {DefaultDirectory}), or pass Datasets.dataDir with a folder holding {string.Join(", ", FileNames.Select(f => f + "[.gz]"))}.");
    }
}
