using System.Diagnostics;

namespace TorchLogistic.Distributed;

/// <summary>
/// MPI_COMM_WORLD of the job this process was launched in (<c>mpirun -np N …</c>, <c>srun --mpi=pmix …</c>; started
/// alone it is a job of one rank). <see cref="Initialize"/> loads the MPI library and calls <c>MPI_Init_thread</c>
/// (funneled: only the calling thread talks to MPI); <see cref="Dispose"/> calls <c>MPI_Finalize</c>. MPI is
/// fail-stop: when a rank dies, the launcher ends the others (Open MPI's mpirun within about a second) and the
/// job's exit code is non-zero. One per process: MPI cannot be initialised again after it is finalised.
/// </summary>
public sealed class MpiCommunicator : ICommunicator
{
    private readonly MpiLibrary _mpi;
    private readonly Stopwatch _clock = new();
    private readonly Stopwatch _waiting = new();
    private bool _finalized;

    private MpiCommunicator(MpiLibrary mpi)
    {
        _mpi = mpi;
        Rank = mpi.CommRank();
        Size = mpi.CommSize();
    }

    /// <summary>Loads MPI and joins the job; throws <see cref="DllNotFoundException"/> naming the package when no MPI library is installed.</summary>
    public static MpiCommunicator Initialize()
    {
        var mpi = MpiLibrary.Load();
        if (mpi.Finalized()) throw new InvalidOperationException("MPI was already finalised in this process; it can be initialised only once per process.");
        if (!mpi.Initialized())
        {
            mpi.InitThread(MpiLibrary.ThreadFunneled, out int provided);
            if (provided < MpiLibrary.ThreadFunneled)
                throw new InvalidOperationException($"The MPI library gives thread level {provided}; distributed training needs MPI_THREAD_FUNNELED (1).");
        }
        return new MpiCommunicator(mpi);
    }

    /// <summary>The MPI library file loaded (libmpi.so.40 for Open MPI).</summary>
    public string LibraryName => _mpi.Name;

    /// <inheritdoc />
    public int Rank { get; }

    /// <inheritdoc />
    public int Size { get; }

    /// <inheritdoc />
    public double AllreduceSeconds => _clock.Elapsed.TotalSeconds;

    /// <summary>
    /// When true (for benchmarks), every allreduce is preceded by a barrier timed as <see cref="WaitingSeconds"/>, so
    /// that <see cref="AllreduceSeconds"/> is the transfer alone rather than transfer plus waiting for the slowest
    /// rank. Costs one barrier's latency per allreduce. Default false.
    /// </summary>
    public bool SeparateWaiting { get; set; }

    /// <summary>Seconds spent in the barriers of <see cref="SeparateWaiting"/>: waiting for the slowest rank.</summary>
    public double WaitingSeconds => _waiting.Elapsed.TotalSeconds;

    /// <inheritdoc />
    public long AllreduceCalls { get; private set; }

    /// <inheritdoc />
    public void AllreduceSum(Span<double> values)
    {
        Wait();
        _clock.Start();
        _mpi.AllreduceSum(values);
        _clock.Stop();
        AllreduceCalls++;
    }

    /// <inheritdoc />
    public void AllreduceSum(Span<long> values)
    {
        Wait();
        _clock.Start();
        _mpi.AllreduceSum(values);
        _clock.Stop();
        AllreduceCalls++;
    }

    /// <inheritdoc />
    public void Broadcast(Span<byte> bytes, int root)
    {
        if (root < 0 || root >= Size) throw new ArgumentOutOfRangeException(nameof(root), root, $"Root {root} is not a rank of this job of {Size}.");
        _mpi.Broadcast(bytes, root);
    }

    /// <inheritdoc />
    public void Barrier() => _mpi.Barrier();

    private void Wait()
    {
        if (!SeparateWaiting) return;
        _waiting.Start();
        _mpi.Barrier();
        _waiting.Stop();
    }

    /// <inheritdoc />
    public void Abort(int code)
    {
        Console.Out.Flush();
        Console.Error.Flush();
        _mpi.Abort(code);
        Environment.Exit(code);
    }

    /// <summary>Calls MPI_Finalize (every rank must; it waits for the others).</summary>
    public void Dispose()
    {
        if (_finalized) return;
        _finalized = true;
        _mpi.FinalizeMpi();
    }
}
