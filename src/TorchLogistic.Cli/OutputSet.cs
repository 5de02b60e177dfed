using System.Runtime.InteropServices;

namespace TorchLogistic.Cli;

/// <summary>
/// The one way every command writes its outputs, so that they change as a set: a run writes into a staging folder
/// (or staging file) beside the target, and <see cref="Commit"/> swaps it in with one rename — for a folder an
/// atomic exchange (Linux <c>renameat2(RENAME_EXCHANGE)</c>). Killed or failing at any point, the target holds
/// exactly the previous complete state or the new complete one: no stray temporary file inside it, no file of an
/// older run beside the new ones (a folder's previous run outputs are replaced, not merged), and a parent folder
/// made for a run that then fails is removed again. Staging left by a killed run is removed by the next run.
/// Files in an output folder that are not a run's outputs (see <see cref="IsRunOutput"/>) are carried over.
/// </summary>
internal sealed class OutputSet : IDisposable
{
    private const string Manifest = ".torchlogistic-outputs";
    private readonly bool _isFolder;
    private readonly string _staging;
    private readonly List<string> _createdParents;
    private readonly List<string> _names = new();
    private bool _committed;

    private OutputSet(string target, bool isFolder, List<string> createdParents)
    {
        this.Target = target;
        this._isFolder = isFolder;
        this._createdParents = createdParents;
        _staging = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.staging-{Environment.ProcessId}-{Guid.NewGuid():N}");
    }

    /// <summary>The folder or file the set replaces (symbolic links resolved).</summary>
    public string Target { get; }

    /// <summary>Checks an output folder before any work, and refuses it when it would replace one of <paramref name="inputs"/>.</summary>
    /// <param name="directory">The folder (--out).</param>
    /// <param name="inputs">Files the run reads (null entries are ignored).</param>
    public static OutputSet Folder(string directory, params string?[] inputs)
    {
        string full = RealPath.Of(directory);
        if (global::System.IO.File.Exists(full))
            throw new IOException($"Output folder '{directory}' is a file. Pass --out a folder path.");
        string cwd = RealPath.Of(Environment.CurrentDirectory);
        if (IsWithin(cwd, full))
            throw new IOException($"Output folder '{directory}' is the current folder or above it; a run replaces its folder as a whole. Pass --out a folder of its own, e.g. runs/NAME.");
        if (Directory.Exists(full))
        {
            var subfolder = Directory.EnumerateDirectories(full).FirstOrDefault();
            if (subfolder != null)
                throw new IOException($"Output folder '{directory}' holds the folder '{Path.GetFileName(subfolder)}', so it is not a run's output folder. Pass --out a new or empty folder.");
            foreach (string? input in inputs)
            {
                if (input == null || !global::System.IO.File.Exists(input)) continue;
                string real = RealPath.Of(input);
                if (Path.GetDirectoryName(real) == full && IsRunOutput(Path.GetFileName(real)))
                    throw new IOException($"Output folder '{directory}' holds the input '{Messages.Cut(input)}', which this run would replace. Pass --out another folder.");
            }
        }
        var set = new OutputSet(full, isFolder: true, PrepareParent(full, directory));
        set.Recover();
        return set;
    }

    /// <summary>Checks an output file before any work, and refuses it when it is one of <paramref name="inputs"/>.</summary>
    public static OutputSet File(string path, params string?[] inputs)
    {
        string full = RealPath.Of(path);
        if (Directory.Exists(full))
            throw new IOException($"Output file '{Messages.Cut(path)}' is an existing folder. Pass --out a file path, e.g. {Path.Combine(path, "predictions.csv")}.");
        foreach (string? input in inputs)
            if (input != null && global::System.IO.File.Exists(input) && RealPath.Of(input) == full)
                throw new IOException($"Output file '{Messages.Cut(path)}' is also an input of this run ('{Messages.Cut(input)}'); writing it would destroy the input. Pass --out another file.");
        var set = new OutputSet(full, isFolder: false, PrepareParent(full, path));
        set.Recover();
        return set;
    }

    /// <summary>Whether <paramref name="name"/> is a file a run writes into its output folder (the manifest lists a run's own).</summary>
    public static bool IsRunOutput(string name) =>
        name is "model.bin" or "metrics.json" or "importance.json" or "summary.txt" or Manifest || name.EndsWith(".png", StringComparison.OrdinalIgnoreCase);

    /// <summary>Adds the file <paramref name="name"/> of a folder set (or the content of a file set, name ignored).</summary>
    public void WriteBytes(string name, byte[] bytes)
    {
        string path = _isFolder ? Path.Combine(_staging, name) : _staging;
        // Staging appears only once the outputs are written, so a run killed while it computes leaves nothing.
        if (_isFolder) Directory.CreateDirectory(_staging);
        try
        {
            FaultHook.Write(path, bytes);
        }
        catch (Exception e) when (e is IOException or ArgumentOutOfRangeException)  // .NET reports EFBIG (ulimit -f) as the latter
        {
            throw new IOException($"Writing the output{(_isFolder ? $" {name}" : "")} failed ({Messages.OneLine(e.Message)}): the disk may be full or a file-size limit (ulimit -f) reached. Nothing was changed in '{Messages.Cut(Target)}'.", e);
        }
        if (_isFolder) _names.Add(name);
    }

    /// <summary>Adds a UTF-8 text file.</summary>
    public void WriteText(string name, string text) => WriteBytes(name, new System.Text.UTF8Encoding(false).GetBytes(text));

    /// <summary>Swaps the staged outputs in; the last point at which <paramref name="cancellation"/> stops the run.</summary>
    public void Commit(CancellationToken cancellation)
    {
        if (_isFolder)
        {
            WriteBytes(Manifest, new System.Text.UTF8Encoding(false).GetBytes(string.Join('\n', _names.Append(Manifest)) + "\n"));
            CarryOverForeignFiles();
        }
        FaultHook.At("before-commit", cancellation);
        cancellation.ThrowIfCancellationRequested();
        if (!_isFolder)
        {
            global::System.IO.File.Move(_staging, Target, overwrite: true);
        }
        else if (!Directory.Exists(Target))
        {
            Directory.Move(_staging, Target);
        }
        else if (Native.renameat2(Native.AtFdCwd, _staging, Native.AtFdCwd, Target, Native.RenameExchange) == 0)
        {
            _committed = true;
            FaultHook.At("after-swap", CancellationToken.None);
            Directory.Delete(_staging, recursive: true);
        }
        else
        {
            // No atomic exchange on this file system: two renames, undone by the next run's recover() if killed between.
            string previous = Path.Combine(Path.GetDirectoryName(Target)!, $".{Path.GetFileName(Target)}.previous-{Environment.ProcessId}-{Guid.NewGuid():N}");
            Directory.Move(Target, previous);
            FaultHook.At("between-renames", CancellationToken.None);
            Directory.Move(_staging, Target);
            _committed = true;
            Directory.Delete(previous, recursive: true);
        }
        _committed = true;
    }

    /// <summary>A run that did not commit removes its staging and the parent folders it made.</summary>
    public void Dispose()
    {
        if (_committed) return;
        try
        {
            if (_isFolder && Directory.Exists(_staging)) Directory.Delete(_staging, recursive: true);
            else if (!_isFolder) global::System.IO.File.Delete(_staging);
            foreach (string parent in _createdParents)
                if (Directory.Exists(parent) && !Directory.EnumerateFileSystemEntries(parent).Any()) Directory.Delete(parent);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>Files of the previous folder that no run wrote (the user's own) go into the new folder too, as hard links.</summary>
    private void CarryOverForeignFiles()
    {
        if (!Directory.Exists(Target)) return;
        string manifest = Path.Combine(Target, Manifest);
        var previousRun = global::System.IO.File.Exists(manifest) ? new HashSet<string>(global::System.IO.File.ReadAllLines(manifest)) : null;
        foreach (string file in Directory.EnumerateFiles(Target))
        {
            string name = Path.GetFileName(file);
            if ((previousRun?.Contains(name) ?? IsRunOutput(name)) || _names.Contains(name)) continue;
            string copy = Path.Combine(_staging, name);
            if (Native.link(file, copy) != 0) global::System.IO.File.Copy(file, copy);
        }
    }

    /// <summary>Removes what a killed run left beside the target, and puts back a folder a killed fallback swap moved aside.</summary>
    private void Recover()
    {
        string parent = Path.GetDirectoryName(Target)!;
        string prefix = $".{Path.GetFileName(Target)}.";
        foreach (string entry in Directory.EnumerateFileSystemEntries(parent, prefix + "*"))
        {
            string rest = Path.GetFileName(entry)[prefix.Length..];
            string[] parts = rest.Split('-');
            if (parts.Length != 3 || parts[0] is not ("staging" or "previous") || !int.TryParse(parts[1], out int pid) || pid == Environment.ProcessId
                || Directory.Exists($"/proc/{pid}"))
                continue;
            if (parts[0] == "previous" && !Directory.Exists(Target) && !global::System.IO.File.Exists(Target)) Directory.Move(entry, Target);
            else if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
            else global::System.IO.File.Delete(entry);
        }
    }

    /// <summary>Creates the missing parents of <paramref name="full"/> (checking that they can be written); returns them, deepest first.</summary>
    private static List<string> PrepareParent(string full, string given)
    {
        var created = new List<string>();
        string parent = Path.GetDirectoryName(full)!;
        for (string? p = parent; p != null && !Directory.Exists(p); p = Path.GetDirectoryName(p))
        {
            if (global::System.IO.File.Exists(p)) throw new IOException($"Output path '{Messages.Cut(given)}' is inside '{p}', which is a file. Choose a folder path with --out.");
            created.Add(p);
        }
        try
        {
            Directory.CreateDirectory(parent);
            string probe = Path.Combine(parent, $".write-test-{Guid.NewGuid():N}");
            global::System.IO.File.WriteAllBytes(probe, Array.Empty<byte>());
            global::System.IO.File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            foreach (string p in created)
                try { if (Directory.Exists(p) && !Directory.EnumerateFileSystemEntries(p).Any()) Directory.Delete(p); } catch (IOException) { }
            throw new IOException($"Output '{Messages.Cut(given)}' cannot be written ({Messages.OneLine(e.Message)}). Choose a folder you can write to with --out.", e);
        }
        return created;
    }

    private static bool IsWithin(string path, string folder) =>
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
