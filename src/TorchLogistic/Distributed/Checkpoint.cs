using System.Text;
using TorchLogistic.Optim;

namespace TorchLogistic.Distributed;

/// <summary>
/// Where a run stood after an iteration: θ (in the run's scaled, expanded coordinates), the iteration number and
/// F(θ), with what identifies the problem (solver, parameter count, rows over all ranks) so that a resume on
/// another problem is refused, and the solver's state (<see cref="SolverState"/>: L-BFGS and OWL-QN's correction
/// pairs, FISTA's momentum, the Lipschitz estimate), so a resumed run continues along the iterates of the
/// uninterrupted run and stops after the same number of iterations. Written atomically (a temporary file renamed
/// over the old one), so a run killed while writing leaves the previous checkpoint. Files of the first version
/// (TLCKPT1, θ only) are still read: their run restarts the solver from θ.
/// </summary>
/// <param name="Iteration">Iterations done when it was written.</param>
/// <param name="Objective">F(θ).</param>
/// <param name="Solver">The solver that produced θ (resolved, never Auto).</param>
/// <param name="TotalRows">Training rows over all ranks.</param>
/// <param name="Theta">θ.</param>
/// <param name="State">The solver's state after that iteration, or null (a first-version file: restart from θ).</param>
public sealed record Checkpoint(int Iteration, double Objective, SolverKind Solver, long TotalRows, double[] Theta, SolverState? State = null)
{
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("TLCKPT2\n");
    private static readonly byte[] FirstMagic = Encoding.ASCII.GetBytes("TLCKPT1\n");

    /// <summary>
    /// The checkpoint as bytes, little-endian: magic, iteration, F, solver, rows, |θ|, θ, then the number of state
    /// entries (−1 for none) and each entry's name (length-prefixed UTF-8), length and values.
    /// </summary>
    public byte[] ToBytes()
    {
        using var memory = new MemoryStream();
        using (var writer = new BinaryWriter(memory, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(Iteration);
            writer.Write(Objective);
            writer.Write((int)Solver);
            writer.Write(TotalRows);
            writer.Write(Theta.Length);
            foreach (double v in Theta) writer.Write(v);
            writer.Write(State?.Entries.Count ?? -1);
            foreach (var (name, values) in State?.Entries.OrderBy(e => e.Key, StringComparer.Ordinal) ?? Enumerable.Empty<KeyValuePair<string, double[]>>())
            {
                writer.Write(name);
                writer.Write(values.Length);
                foreach (double v in values) writer.Write(v);
            }
        }
        return memory.ToArray();
    }

    /// <summary>Parses <see cref="ToBytes"/>; <paramref name="source"/> names it in the message of a damaged file.</summary>
    public static Checkpoint FromBytes(byte[] bytes, string source)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes));
            var magic = reader.ReadBytes(Magic.Length).AsSpan();
            bool first = magic.SequenceEqual(FirstMagic);
            if (!first && !magic.SequenceEqual(Magic)) throw new InvalidDataException("no checkpoint header");
            int iteration = reader.ReadInt32();
            double objective = reader.ReadDouble();
            var solver = (SolverKind)reader.ReadInt32();
            long rows = reader.ReadInt64();
            int n = reader.ReadInt32();
            long left = bytes.Length - reader.BaseStream.Position;
            if (n < 0 || (first ? (long)n * 8 != left : (long)n * 8 + 4 > left)) throw new InvalidDataException("truncated θ");
            var theta = new double[n];
            for (int i = 0; i < n; i++) theta[i] = reader.ReadDouble();
            if (first) return new Checkpoint(iteration, objective, solver, rows, theta);
            int count = reader.ReadInt32();
            SolverState? state = null;
            if (count >= 0)
            {
                var entries = new Dictionary<string, double[]>(StringComparer.Ordinal);
                for (int e = 0; e < count; e++)
                {
                    string name = reader.ReadString();
                    int length = reader.ReadInt32();
                    if (length < 0 || (long)length * 8 > bytes.Length - reader.BaseStream.Position) throw new InvalidDataException($"truncated state entry '{name}'");
                    var values = new double[length];
                    for (int i = 0; i < length; i++) values[i] = reader.ReadDouble();
                    entries[name] = values;
                }
                state = new SolverState(solver, entries);
            }
            if (reader.BaseStream.Position != bytes.Length) throw new InvalidDataException("bytes after the solver state");
            return new Checkpoint(iteration, objective, solver, rows, theta, state);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException)
        {
            throw new InvalidDataException($"'{source}' is not a checkpoint of this version ({e.Message}). Delete it and train from the start.", e);
        }
    }

    /// <summary>Writes the checkpoint to <paramref name="path"/> atomically.</summary>
    public void Save(string path)
    {
        string temporary = $"{path}.tmp-{Environment.ProcessId}";
        File.WriteAllBytes(temporary, ToBytes());
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Refuses a checkpoint of another problem, naming the difference.</summary>
    public void CheckMatches(SolverKind solver, int parameterCount, long totalRows, string source)
    {
        string fix = "Resume with the data and options of the run that wrote it, or delete it to train from the start.";
        if (Theta.Length != parameterCount)
            throw new ArgumentException($"The checkpoint '{source}' has {Theta.Length} parameters; this problem has {parameterCount}. {fix}");
        if (TotalRows != totalRows)
            throw new ArgumentException($"The checkpoint '{source}' was written for {TotalRows} training rows; this run has {totalRows}. {fix}");
        if (Solver != solver)
            throw new ArgumentException($"The checkpoint '{source}' was written by solver '{SolverRegistry.NameOf(Solver)}'; this run uses '{SolverRegistry.NameOf(solver)}'. {fix}");
    }
}
