using System.Text;
using TorchLogistic.Optim;

namespace TorchLogistic.Distributed;

/// <summary>
/// Where a run stood after an iteration: θ (in the run's scaled, expanded coordinates), the iteration number and
/// F(θ), with what identifies the problem (solver, parameter count, rows over all ranks) so that a resume on
/// another problem is refused. A resumed run restarts its solver from θ — L-BFGS and OWL-QN rebuild their memory,
/// the line searches their first step — so it reaches the same optimum (to the tolerance) in a few more
/// iterations than an uninterrupted run, not along the same iterates. Written atomically (a temporary file renamed
/// over the old one), so a run killed while writing leaves the previous checkpoint.
/// </summary>
/// <param name="Iteration">Iterations done when it was written.</param>
/// <param name="Objective">F(θ).</param>
/// <param name="Solver">The solver that produced θ (resolved, never Auto).</param>
/// <param name="TotalRows">Training rows over all ranks.</param>
/// <param name="Theta">θ.</param>
public sealed record Checkpoint(int Iteration, double Objective, SolverKind Solver, long TotalRows, double[] Theta)
{
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("TLCKPT1\n");

    /// <summary>The checkpoint as bytes (magic, iteration, F, solver, rows, |θ|, θ; little-endian).</summary>
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
        }
        return memory.ToArray();
    }

    /// <summary>Parses <see cref="ToBytes"/>; <paramref name="source"/> names it in the message of a damaged file.</summary>
    public static Checkpoint FromBytes(byte[] bytes, string source)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes));
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic)) throw new InvalidDataException("no checkpoint header");
            int iteration = reader.ReadInt32();
            double objective = reader.ReadDouble();
            var solver = (SolverKind)reader.ReadInt32();
            long rows = reader.ReadInt64();
            int n = reader.ReadInt32();
            if (n < 0 || (long)n * 8 != bytes.Length - reader.BaseStream.Position) throw new InvalidDataException("truncated θ");
            var theta = new double[n];
            for (int i = 0; i < n; i++) theta[i] = reader.ReadDouble();
            return new Checkpoint(iteration, objective, solver, rows, theta);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
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
