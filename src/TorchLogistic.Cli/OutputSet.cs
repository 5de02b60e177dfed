using System.Runtime.InteropServices;

namespace TorchLogistic.Cli;

/// <summary>
/// The one way every command writes its outputs, so that they change as a set: a run writes into a staging folder
/// (or staging file) beside the target, and <see cref="commit"/> swaps it in with one rename — for a folder an
/// atomic exchange (Linux <c>renameat2(RENAME_EXCHANGE)</c>). Killed or failing at any point, the target holds
/// exactly the previous complete state or the new complete one: no stray temporary file inside it, no file of an
/// older run beside the new ones (a folder's previous run outputs are replaced, not merged), and a parent folder
/// made for a run that then fails is removed again. Staging left by a killed run is removed by the next run.
/// Files in an output folder that are not a run's outputs (see <see cref="is_run_output"/>) are carried over.
/// </summary>
internal sealed class OutputSet : IDisposable
{
    private const string Manifest = ".torchlogistic-outputs";
    private readonly bool isFolder;
    private readonly string staging;
    private readonly List<string> createdParents;
    private readonly List<string> names = new();
    private bool committed;

    private OutputSet(string target, bool isFolder, List<string> createdParents)
    {
        this.target = target;
        this.isFolder = isFolder;
        this.createdParents = createdParents;
        staging = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.staging-{Environment.ProcessId}-{Guid.NewGuid():N}");
    }

    /// <summary>The folder or file the set replaces (symbolic links resolved).</summary>
    public string target { get; }

    /// <summary>Checks an output folder before any work, and refuses it when it would replace one of <paramref name="inputs"/>.</summary>
    /// <param name="directory">The folder (--out).</param>
    /// <param name="inputs">Files the run reads (null entries are ignored).</param>
    public static OutputSet folder(string directory, params string?[] inputs)
    {
        string full = RealPath.of(directory);
        if (File.Exists(full))
            throw new IOException($"Output folder '{directory}' is a file. Pass --out a folder path.");
        string cwd = RealPath.of(Environment.CurrentDirectory);
        if (is_within(cwd, full))
            throw new IOException($"Output folder '{directory}' is the current folder or above it; a run replaces its folder as a whole. Pass --out a folder of its own, e.g. runs/NAME.");
        if (Directory.Exists(full))
        {
            var subfolder = Directory.EnumerateDirectories(full).FirstOrDefault();
            if (subfolder != null)
                throw new IOException($"Output folder '{directory}' holds the folder '{Path.GetFileName(subfolder)}', so it is not a run's output folder. Pass --out a new or empty folder.");
            foreach (string? input in inputs)
            {
                if (input == null || !File.Exists(input)) continue;
                string real = RealPath.of(input);
                if (Path.GetDirectoryName(real) == full && is_run_output(Path.GetFileName(real)))
                    throw new IOException($"Output folder '{directory}' holds the input '{Messages.cut(input)}', which this run would replace. Pass --out another folder.");
            }
        }
        var set = new OutputSet(full, isFolder: true, prepare_parent(full, directory));
        set.recover();
        return set;
    }

    /// <summary>Checks an output file before any work, and refuses it when it is one of <paramref name="inputs"/>.</summary>
    public static OutputSet file(string path, params string?[] inputs)
    {
        string full = RealPath.of(path);
        if (Directory.Exists(full))
            throw new IOException($"Output file '{Messages.cut(path)}' is an existing folder. Pass --out a file path, e.g. {Path.Combine(path, "predictions.csv")}.");
        foreach (string? input in inputs)
            if (input != null && File.Exists(input) && RealPath.of(input) == full)
                throw new IOException($"Output file '{Messages.cut(path)}' is also an input of this run ('{Messages.cut(input)}'); writing it would destroy the input. Pass --out another file.");
        var set = new OutputSet(full, isFolder: false, prepare_parent(full, path));
        set.recover();
        return set;
    }

    /// <summary>Whether <paramref name="name"/> is a file a run writes into its output folder (the manifest lists a run's own).</summary>
    public static bool is_run_output(string name) =>
        name is "model.bin" or "metrics.json" or "summary.txt" or Manifest || name.EndsWith(".png", StringComparison.OrdinalIgnoreCase);

    /// <summary>Adds the file <paramref name="name"/> of a folder set (or the content of a file set, name ignored).</summary>
    public void write_bytes(string name, byte[] bytes)
    {
        string path = isFolder ? Path.Combine(staging, name) : staging;
        // Staging appears only once the outputs are written, so a run killed while it computes leaves nothing.
        if (isFolder) Directory.CreateDirectory(staging);
        try
        {
            FaultHook.write(path, bytes);
        }
        catch (Exception e) when (e is IOException or ArgumentOutOfRangeException)  // .NET reports EFBIG (ulimit -f) as the latter
        {
            throw new IOException($"Writing the output{(isFolder ? $" {name}" : "")} failed ({Messages.one_line(e.Message)}): the disk may be full or a file-size limit (ulimit -f) reached. Nothing was changed in '{Messages.cut(target)}'.", e);
        }
        if (isFolder) names.Add(name);
    }

    /// <summary>Adds a UTF-8 text file.</summary>
    public void write_text(string name, string text) => write_bytes(name, new System.Text.UTF8Encoding(false).GetBytes(text));

    /// <summary>Swaps the staged outputs in; the last point at which <paramref name="cancellation"/> stops the run.</summary>
    public void commit(CancellationToken cancellation)
    {
        if (isFolder)
        {
            write_bytes(Manifest, new System.Text.UTF8Encoding(false).GetBytes(string.Join('\n', names.Append(Manifest)) + "\n"));
            carry_over_foreign_files();
        }
        FaultHook.at("before-commit", cancellation);
        cancellation.ThrowIfCancellationRequested();
        if (!isFolder)
        {
            File.Move(staging, target, overwrite: true);
        }
        else if (!Directory.Exists(target))
        {
            Directory.Move(staging, target);
        }
        else if (Native.renameat2(Native.AtFdCwd, staging, Native.AtFdCwd, target, Native.RenameExchange) == 0)
        {
            committed = true;
            FaultHook.at("after-swap", CancellationToken.None);
            Directory.Delete(staging, recursive: true);
        }
        else
        {
            // No atomic exchange on this file system: two renames, undone by the next run's recover() if killed between.
            string previous = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.previous-{Environment.ProcessId}-{Guid.NewGuid():N}");
            Directory.Move(target, previous);
            FaultHook.at("between-renames", CancellationToken.None);
            Directory.Move(staging, target);
            committed = true;
            Directory.Delete(previous, recursive: true);
        }
        committed = true;
    }

    /// <summary>A run that did not commit removes its staging and the parent folders it made.</summary>
    public void Dispose()
    {
        if (committed) return;
        try
        {
            if (isFolder && Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            else if (!isFolder) File.Delete(staging);
            foreach (string parent in createdParents)
                if (Directory.Exists(parent) && !Directory.EnumerateFileSystemEntries(parent).Any()) Directory.Delete(parent);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>Files of the previous folder that no run wrote (the user's own) go into the new folder too, as hard links.</summary>
    private void carry_over_foreign_files()
    {
        if (!Directory.Exists(target)) return;
        string manifest = Path.Combine(target, Manifest);
        var previousRun = File.Exists(manifest) ? new HashSet<string>(File.ReadAllLines(manifest)) : null;
        foreach (string file in Directory.EnumerateFiles(target))
        {
            string name = Path.GetFileName(file);
            if ((previousRun?.Contains(name) ?? is_run_output(name)) || names.Contains(name)) continue;
            string copy = Path.Combine(staging, name);
            if (Native.link(file, copy) != 0) File.Copy(file, copy);
        }
    }

    /// <summary>Removes what a killed run left beside the target, and puts back a folder a killed fallback swap moved aside.</summary>
    private void recover()
    {
        string parent = Path.GetDirectoryName(target)!;
        string prefix = $".{Path.GetFileName(target)}.";
        foreach (string entry in Directory.EnumerateFileSystemEntries(parent, prefix + "*"))
        {
            string rest = Path.GetFileName(entry)[prefix.Length..];
            string[] parts = rest.Split('-');
            if (parts.Length != 3 || parts[0] is not ("staging" or "previous") || !int.TryParse(parts[1], out int pid) || pid == Environment.ProcessId
                || Directory.Exists($"/proc/{pid}"))
                continue;
            if (parts[0] == "previous" && !Directory.Exists(target) && !File.Exists(target)) Directory.Move(entry, target);
            else if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
            else File.Delete(entry);
        }
    }

    /// <summary>Creates the missing parents of <paramref name="full"/> (checking that they can be written); returns them, deepest first.</summary>
    private static List<string> prepare_parent(string full, string given)
    {
        var created = new List<string>();
        string parent = Path.GetDirectoryName(full)!;
        for (string? p = parent; p != null && !Directory.Exists(p); p = Path.GetDirectoryName(p))
        {
            if (File.Exists(p)) throw new IOException($"Output path '{Messages.cut(given)}' is inside '{p}', which is a file. Choose a folder path with --out.");
            created.Add(p);
        }
        try
        {
            Directory.CreateDirectory(parent);
            string probe = Path.Combine(parent, $".write-test-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, Array.Empty<byte>());
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            foreach (string p in created)
                try { if (Directory.Exists(p) && !Directory.EnumerateFileSystemEntries(p).Any()) Directory.Delete(p); } catch (IOException) { }
            throw new IOException($"Output '{Messages.cut(given)}' cannot be written ({Messages.one_line(e.Message)}). Choose a folder you can write to with --out.", e);
        }
        return created;
    }

    private static bool is_within(string path, string folder) =>
        path == folder || path.StartsWith(folder.TrimEnd('/') + "/", StringComparison.Ordinal);

    private static class Native
    {
        public const int AtFdCwd = -100;
        public const uint RenameExchange = 2;

        [DllImport("libc.so.6", SetLastError = true)]
        public static extern int renameat2(int olddirfd, string oldpath, int newdirfd, string newpath, uint flags);

        [DllImport("libc.so.6", SetLastError = true)]
        public static extern int link(string oldpath, string newpath);
    }
}
