using System.Diagnostics;
using static TorchSharp.torch;

namespace TorchLogistic.Performance;

/// <summary>
/// The least time one value-and-gradient evaluation of a linear model can take on this machine, measured in the same
/// run as the benchmark it judges. An evaluation reads X at least twice (<c>Z = X Wᵀ</c> and <c>∇W = Gᵀ X</c>) and
/// performs those two matrix products, 2·2·m·d·K floating-point operations, so
/// <code>floor = max(2·bytes(X) / bandwidth, 4·m·d·K / flop_rate)</code>
/// with the bandwidth of a streaming read of a buffer the size of X (a libtorch <c>sum</c>, the fastest of several)
/// and the FLOP rate of a large square GEMM in the same dtype (libtorch <c>matmul</c> of two n × n matrices, the fastest
/// of several), both on the threads libtorch uses now.
/// </summary>
/// <param name="XBytes">Size of the buffer read, the bytes of X.</param>
/// <param name="Bandwidth">Streaming-read bandwidth, bytes per second.</param>
/// <param name="GemmSize">n of the n × n GEMM.</param>
/// <param name="FlopRate">GEMM rate, floating-point operations per second (2n³ per product).</param>
/// <param name="DType">The dtype of both measurements.</param>
/// <param name="Threads">libtorch intra-op threads during the measurements.</param>
public sealed record MachineFloor(long XBytes, double Bandwidth, long GemmSize, double FlopRate, ScalarType DType, int Threads)
{
    /// <summary>Bytes read per repetition of the bandwidth measurement at least: small buffers are summed many times per timing.</summary>
    private const long BytesPerTiming = 64L << 20;

    /// <summary>Measures the bandwidth over a buffer of <paramref name="xBytes"/> and the GEMM rate, in <paramref name="dtype"/>.</summary>
    /// <param name="xBytes">Bytes of X (m·d·element size), ≥ 1.</param>
    /// <param name="dtype">float32 or float64.</param>
    /// <param name="repeats">Timings of each measurement, the fastest kept (default 5), after one warm-up.</param>
    /// <param name="gemmSize">n of the square GEMM (default 2048).</param>
    public static MachineFloor Measure(long xBytes, ScalarType dtype, int repeats = 5, long gemmSize = 2048)
    {
        if (xBytes < 1) throw new ArgumentOutOfRangeException(nameof(xBytes), xBytes, "The buffer must have at least one byte.");
        if (dtype is not (ScalarType.Float32 or ScalarType.Float64)) throw new ArgumentException($"dtype {dtype} is not supported; use float32 or float64.", nameof(dtype));
        if (repeats < 1) throw new ArgumentOutOfRangeException(nameof(repeats), repeats, $"repeats = {repeats} must be ≥ 1.");
        if (gemmSize < 1) throw new ArgumentOutOfRangeException(nameof(gemmSize), gemmSize, $"gemm_size = {gemmSize} must be ≥ 1.");
        using var scope = NewDisposeScope();
        long element = dtype == ScalarType.Float32 ? 4 : 8;
        long n = Math.Max(1, xBytes / element);
        long bytes = n * element;

        // Filled (not just allocated) so that every page is resident before the timing.
        var buffer = ones(n, dtype: dtype);
        int sums = (int)Math.Max(1, BytesPerTiming / bytes);
        double read = Fastest(repeats, () =>
        {
            for (int i = 0; i < sums; i++) buffer.sum().Dispose();
        }) / sums;
        buffer.Dispose();

        var g = new Generator(1);
        var a = randn(new[] { gemmSize, gemmSize }, dtype: dtype, generator: g);
        var b = randn(new[] { gemmSize, gemmSize }, dtype: dtype, generator: g);
        double gemm = Fastest(Math.Min(repeats, 3), () => a.matmul(b).Dispose());
        double flops = 2.0 * gemmSize * gemmSize * gemmSize;
        return new MachineFloor(bytes, bytes / read, gemmSize, flops / gemm, dtype, get_num_threads());
    }

    /// <summary>The floor in milliseconds of one evaluation on m × d data with K outputs, X of <see cref="XBytes"/>.</summary>
    public double FloorMs(long m, long d, long k) => FloorMs(XBytes, Bandwidth, m, d, k, FlopRate);

    /// <summary>Whether the bandwidth term (not the FLOP term) sets the floor for m × d × K.</summary>
    public bool BandwidthBound(long m, long d, long k) => ReadMs(XBytes, Bandwidth) >= ComputeMs(m, d, k, FlopRate);

    /// <summary>
    /// <c>1000 · max(2·x_bytes / bandwidth, 4·m·d·K / flop_rate)</c>: milliseconds of one evaluation at the machine's
    /// limits — X read twice, two matrix products of 2·m·d·K operations each.
    /// </summary>
    /// <param name="xBytes">Bytes of X.</param>
    /// <param name="bandwidth">Bytes per second.</param>
    /// <param name="m">Rows.</param>
    /// <param name="d">Features.</param>
    /// <param name="k">Outputs (1 for binary logistic regression).</param>
    /// <param name="flopRate">Floating-point operations per second.</param>
    public static double FloorMs(long xBytes, double bandwidth, long m, long d, long k, double flopRate)
    {
        if (!(bandwidth > 0)) throw new ArgumentOutOfRangeException(nameof(bandwidth), bandwidth, "The bandwidth must be > 0 bytes per second.");
        if (!(flopRate > 0)) throw new ArgumentOutOfRangeException(nameof(flopRate), flopRate, "The FLOP rate must be > 0.");
        return Math.Max(ReadMs(xBytes, bandwidth), ComputeMs(m, d, k, flopRate));
    }

    /// <summary>One line: bandwidth in GB/s over the size of X, GEMM rate in GFLOP/s, threads.</summary>
    public override string ToString() => FormattableString.Invariant(
        $"streaming read {Bandwidth / 1e9:F1} GB/s over {FormatBytes(XBytes)} (the size of X), {DType.ToString().ToLowerInvariant()} GEMM {GemmSize}² {FlopRate / 1e9:F1} GFLOP/s, {Threads} thread(s)");

    /// <summary>Bytes in B, kB, MB or GB (powers of 1000).</summary>
    public static string FormatBytes(double bytes) => bytes switch
    {
        < 1e3 => FormattableString.Invariant($"{bytes:F0} B"),
        < 1e6 => FormattableString.Invariant($"{bytes / 1e3:F1} kB"),
        < 1e9 => FormattableString.Invariant($"{bytes / 1e6:F1} MB"),
        _ => FormattableString.Invariant($"{bytes / 1e9:F2} GB"),
    };

    private static double ReadMs(long xBytes, double bandwidth) => 1000 * 2.0 * xBytes / bandwidth;

    private static double ComputeMs(long m, long d, long k, double flopRate) => 1000 * 4.0 * m * d * k / flopRate;

    private static double Fastest(int repeats, Action action)
    {
        action();
        double best = double.PositiveInfinity;
        for (int i = 0; i < repeats; i++)
        {
            var watch = Stopwatch.StartNew();
            action();
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }
        return best;
    }
}
