using System.Runtime.InteropServices;

namespace TorchLogistic.Distributed;

/// <summary>
/// The few C functions of MPI that data-parallel training calls, bound directly (MPI.NET, the only binding on NuGet,
/// looks for Windows' msmpi.dll and hard-codes MPICH-style integer handles). The library is loaded by its versioned
/// name — <c>libmpi.so.40</c> (Open MPI 3–5) or <c>libmpi.so.12</c> (MPICH and derivatives) — since the unversioned
/// <c>libmpi.so</c> exists only with the development package. Handles differ by implementation: Open MPI's
/// <c>MPI_COMM_WORLD</c>, <c>MPI_DOUBLE</c>, <c>MPI_SUM</c> are the addresses of exported globals
/// (<c>ompi_mpi_comm_world</c>, …) and <c>MPI_IN_PLACE</c> is <c>(void*)1</c>; MPICH's are integer constants
/// and <c>MPI_IN_PLACE</c> is <c>(void*)-1</c>. Nothing here is touched unless distributed training is asked for.
/// </summary>
internal sealed unsafe class MpiLibrary
{
    /// <summary>MPI_THREAD_FUNNELED: only the main thread calls MPI (libtorch's own threads never do). Same value in both implementations.</summary>
    public const int ThreadFunneled = 1;

    private static readonly string[] Candidates = { "libmpi.so.40", "libmpi.so.12" };
    private static MpiLibrary? _loaded;

    private readonly delegate* unmanaged<int*, byte***, int, int*, int> _initThread;
    private readonly delegate* unmanaged<int*, int> _initialized;
    private readonly delegate* unmanaged<int*, int> _finalized;
    private readonly delegate* unmanaged<nint, int*, int> _commRank;
    private readonly delegate* unmanaged<nint, int*, int> _commSize;
    private readonly delegate* unmanaged<void*, void*, int, nint, nint, nint, int> _allreduce;
    private readonly delegate* unmanaged<void*, int, nint, int, nint, int> _bcast;
    private readonly delegate* unmanaged<nint, int> _barrier;
    private readonly delegate* unmanaged<nint, int, int> _abort;
    private readonly delegate* unmanaged<int> _finalize;

    private MpiLibrary(string name, nint handle)
    {
        Name = name;
        _initThread = (delegate* unmanaged<int*, byte***, int, int*, int>)Export(handle, "MPI_Init_thread");
        _initialized = (delegate* unmanaged<int*, int>)Export(handle, "MPI_Initialized");
        _finalized = (delegate* unmanaged<int*, int>)Export(handle, "MPI_Finalized");
        _commRank = (delegate* unmanaged<nint, int*, int>)Export(handle, "MPI_Comm_rank");
        _commSize = (delegate* unmanaged<nint, int*, int>)Export(handle, "MPI_Comm_size");
        _allreduce = (delegate* unmanaged<void*, void*, int, nint, nint, nint, int>)Export(handle, "MPI_Allreduce");
        _bcast = (delegate* unmanaged<void*, int, nint, int, nint, int>)Export(handle, "MPI_Bcast");
        _barrier = (delegate* unmanaged<nint, int>)Export(handle, "MPI_Barrier");
        _abort = (delegate* unmanaged<nint, int, int>)Export(handle, "MPI_Abort");
        _finalize = (delegate* unmanaged<int>)Export(handle, "MPI_Finalize");
        if (NativeLibrary.TryGetExport(handle, "ompi_mpi_comm_world", out nint world))
        {
            IsOpenMpi = true;
            CommWorld = world;
            Double = Export(handle, "ompi_mpi_double");
            Int64 = Export(handle, "ompi_mpi_int64_t");
            Byte = Export(handle, "ompi_mpi_byte");
            Sum = Export(handle, "ompi_mpi_op_sum");
            InPlace = 1;
        }
        else
        {
            // MPICH's mpi.h: integer handles.
            CommWorld = 0x44000000;
            Double = 0x4c00080b;
            Int64 = 0x4c000841;
            Byte = 0x4c00010d;
            Sum = 0x58000003;
            InPlace = -1;
        }
    }

    /// <summary>The file loaded (libmpi.so.40 or libmpi.so.12).</summary>
    public string Name { get; }

    /// <summary>Whether the library is Open MPI's (pointer handles) rather than MPICH's (integer handles).</summary>
    public bool IsOpenMpi { get; }

    /// <summary>MPI_COMM_WORLD.</summary>
    public nint CommWorld { get; }

    /// <summary>MPI_DOUBLE.</summary>
    public nint Double { get; }

    /// <summary>MPI_INT64_T.</summary>
    public nint Int64 { get; }

    /// <summary>MPI_BYTE.</summary>
    public nint Byte { get; }

    /// <summary>MPI_SUM.</summary>
    public nint Sum { get; }

    /// <summary>MPI_IN_PLACE.</summary>
    public nint InPlace { get; }

    /// <summary>Loads the MPI library once (by versioned name), or throws naming what to install.</summary>
    public static MpiLibrary Load()
    {
        if (_loaded is not null) return _loaded;
        foreach (string name in Candidates)
        {
            if (NativeLibrary.TryLoad(name, out nint handle)) return _loaded = new MpiLibrary(name, handle);
        }
        throw new DllNotFoundException(
            $"Distributed training needs an MPI library ({string.Join(" or ", Candidates)}) and none could be loaded. Install Open MPI (Debian/Ubuntu: apt-get install openmpi-bin) and launch with mpirun.");
    }

    public void InitThread(int required, out int provided)
    {
        int got;
        Check(_initThread(null, null, required, &got), "MPI_Init_thread");
        provided = got;
    }

    public bool Initialized()
    {
        int flag;
        Check(_initialized(&flag), "MPI_Initialized");
        return flag != 0;
    }

    public bool Finalized()
    {
        int flag;
        Check(_finalized(&flag), "MPI_Finalized");
        return flag != 0;
    }

    public int CommRank()
    {
        int rank;
        Check(_commRank(CommWorld, &rank), "MPI_Comm_rank");
        return rank;
    }

    public int CommSize()
    {
        int size;
        Check(_commSize(CommWorld, &size), "MPI_Comm_size");
        return size;
    }

    /// <summary>Sums <paramref name="values"/> over all ranks, in place.</summary>
    public void AllreduceSum(Span<double> values)
    {
        fixed (double* p = values) Check(_allreduce((void*)InPlace, p, values.Length, Double, Sum, CommWorld), "MPI_Allreduce");
    }

    /// <summary>Sums <paramref name="values"/> over all ranks, in place.</summary>
    public void AllreduceSum(Span<long> values)
    {
        fixed (long* p = values) Check(_allreduce((void*)InPlace, p, values.Length, Int64, Sum, CommWorld), "MPI_Allreduce");
    }

    /// <summary>Copies <paramref name="bytes"/> from <paramref name="root"/> to every rank.</summary>
    public void Broadcast(Span<byte> bytes, int root)
    {
        fixed (byte* p = bytes) Check(_bcast(p, bytes.Length, Byte, root, CommWorld), "MPI_Bcast");
    }

    /// <summary>Copies <paramref name="values"/> from <paramref name="root"/> to every rank.</summary>
    public void Broadcast(Span<long> values, int root)
    {
        fixed (long* p = values) Check(_bcast(p, values.Length, Int64, root, CommWorld), "MPI_Bcast");
    }

    public void Barrier() => Check(_barrier(CommWorld), "MPI_Barrier");

    public void Abort(int code) => _abort(CommWorld, code);

    public void FinalizeMpi() => Check(_finalize(), "MPI_Finalize");

    private static nint Export(nint handle, string symbol) => NativeLibrary.GetExport(handle, symbol);

    private static void Check(int code, string call)
    {
        // MPI_ERRORS_ARE_FATAL is the default handler, so a failing call normally never returns; this is the fallback.
        if (code != 0) throw new InvalidOperationException($"{call} failed with MPI error code {code}.");
    }
}
