namespace TorchLogistic.Cli;

/// <summary>The bounds every error line keeps: one line, at most a few hundred characters.</summary>
internal static class Messages
{
    /// <summary>Longest error line printed (characters after "error: ").</summary>
    public const int MaxLength = 400;

    /// <summary>
    /// The first line of <paramref name="message"/> (libtorch appends C++ frames on the following lines), cut to
    /// <see cref="MaxLength"/> characters.
    /// </summary>
    public static string OneLine(string message)
    {
        string first = message.Split('\n', 2)[0].TrimEnd('\r', ' ');
        int frames = first.IndexOf("Exception raised from", StringComparison.Ordinal);
        if (frames > 0) first = first[..frames].TrimEnd();
        return first.Length <= MaxLength ? first : first[..(MaxLength - 1)] + "…";
    }

    /// <summary>A value quoted in a message, cut to a few dozen characters.</summary>
    public static string Cut(string value, int max = 60) => value.Length <= max ? value : value[..(max - 1)] + "…";
}
