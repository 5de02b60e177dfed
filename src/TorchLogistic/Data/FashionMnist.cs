namespace TorchLogistic.Data;

/// <summary>
/// Fashion-MNIST (Xiao, Rasul, Vollgraf 2017, Zalando Research): 28×28 grey-level images of 10 kinds of
/// clothing, with the official split of 60 000 training and 10 000 test images. Not shipped in the library:
/// it is read from the four IDX files (gzip or raw) in <see cref="default_directory"/> — where Debian's
/// package <c>dataset-fashion-mnist</c> installs them — or in a folder the caller names. Features are the 784
/// pixels <c>pixel_r_c</c> scaled to [0, 1].
/// </summary>
public static class FashionMnist
{
    /// <summary>The built-in name: <c>fashion-mnist</c>.</summary>
    public const string name = "fashion-mnist";

    /// <summary>Where <c>apt-get install dataset-fashion-mnist</c> puts the files.</summary>
    public const string default_directory = "/usr/share/datasets/fashion-mnist";

    /// <summary>The classes, label 0 first.</summary>
    public static IReadOnlyList<string> classes { get; } = new[]
    {
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    };

    /// <summary>Base names of the four files (each may also end in <c>.gz</c>).</summary>
    public static IReadOnlyList<string> file_names { get; } = new[]
    {
        "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
    };

    /// <summary>Loads the official training part (60 000 rows) and test part (10 000 rows).</summary>
    /// <param name="data_dir">Folder holding the four files; null means <see cref="default_directory"/>.</param>
    /// <exception cref="DataFormatException">A file is missing (the message names the package to install) or invalid.</exception>
    public static (Dataset Train, Dataset Test) load(string? data_dir = null)
    {
        string[] paths = files(data_dir);
        string[] names = classes.ToArray();
        return (IdxDataset.load(name, paths[0], paths[1], names), IdxDataset.load(name, paths[2], paths[3], names));
    }

    /// <summary>Reads only the label files: the class index of each training row and each test row.</summary>
    /// <param name="data_dir">Folder holding the files; null means <see cref="default_directory"/>.</param>
    public static (int[] Train, int[] Test) load_labels(string? data_dir = null)
    {
        string dir = data_dir ?? default_directory;
        int[] labels(string file)
        {
            string path = find(dir, file);
            var array = IdxFile.read(path);
            if (array.type != IdxType.UnsignedByte || array.shape.Length != 1)
                throw new DataFormatException($"'{path}' holds {array.type} of shape [{string.Join(", ", array.shape)}], not one unsigned byte per image.");
            return array.data.Select(b => (int)b).ToArray();
        }
        return (labels(file_names[1]), labels(file_names[3]));
    }

    /// <summary>
    /// The paths of the four files in the order of <see cref="file_names"/> (training images, training labels, test
    /// images, test labels), each the <c>.gz</c> file if present, else the raw one.
    /// </summary>
    /// <param name="data_dir">Folder holding the files; null means <see cref="default_directory"/>.</param>
    /// <exception cref="DataFormatException">A file is missing (the message names the package to install).</exception>
    public static string[] files(string? data_dir = null)
    {
        string dir = data_dir ?? default_directory;
        return file_names.Select(f => find(dir, f)).ToArray();
    }

    /// <summary>The path of <paramref name="file"/> or <paramref name="file"/>.gz in <paramref name="dir"/>.</summary>
    private static string find(string dir, string file)
    {
        foreach (string candidate in new[] { file + ".gz", file })
        {
            string path = Path.Combine(dir, candidate);
            if (File.Exists(path)) return path;
        }
        string where = Directory.Exists(dir) ? $"'{dir}' has no {file}.gz or {file}" : $"the folder '{dir}' does not exist";
        throw new DataFormatException(
            $"Fashion-MNIST is not available: {where}. Install it with 'apt-get install dataset-fashion-mnist' " +
            $"(Debian; files go to {default_directory}), or pass Datasets.data_dir with a folder holding {string.Join(", ", file_names.Select(f => f + "[.gz]"))}.");
    }
}
