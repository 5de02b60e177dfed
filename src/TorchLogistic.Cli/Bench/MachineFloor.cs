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
/// <param name="x_bytes">Size of the buffer read, the bytes of X.</param>
/// <param name="bandwidth">Streaming-read bandwidth, bytes per second.</param>
/// <param name="gemm_size">n of the n × n GEMM.</param>
/// <param name="flop_rate">GEMM rate, floating-point operations per second (2n³ per product).</param>
/// <param name="dtype">The dtype of both measurements.</param>
/// <param name="threads">libtorch intra-op threads during the measurements.</param>
public sealed record MachineFloor(long x_bytes, double bandwidth, long gemm_size, double flop_rate, ScalarType dtype, int threads)
{
    /// <summary>Bytes read per repetition of the bandwidth measurement at least: small buffers are summed many times per timing.</summary>
    private const long bytes_per_timing = 64L << 20;

    /// <summary>Measures the bandwidth over a buffer of <paramref name="x_bytes"/> and the GEMM rate, in <paramref name="dtype"/>.</summary>
    /// <param name="x_bytes">Bytes of X (m·d·element size), ≥ 1.</param>
    /// <param name="dtype">float32 or float64.</param>
    /// <param name="repeats">Timings of each measurement, the fastest kept (default 5), after one warm-up.</param>
    /// <param name="gemm_size">n of the square GEMM (default 2048).</param>
    public static MachineFloor measure(long x_bytes, ScalarType dtype, int repeats = 5, long gemm_size = 2048)
    {
        if (x_bytes < 1) throw new ArgumentOutOfRangeException(nameof(x_bytes), x_bytes, "The buffer must have at least one byte.");
        if (dtype is not (ScalarType.Float32 or ScalarType.Float64)) throw new ArgumentException($"dtype {dtype} is not supported; use float32 or float64.", nameof(dtype));
        if (repeats < 1) throw new ArgumentOutOfRangeException(nameof(repeats), repeats, $"repeats = {repeats} must be ≥ 1.");
        if (gemm_size < 1) throw new ArgumentOutOfRangeException(nameof(gemm_size), gemm_size, $"gemm_size = {gemm_size} must be ≥ 1.");
        using var scope = NewDisposeScope();
        long element = dtype == ScalarType.Float32 ? 4 : 8;
        long n = Math.Max(1, x_bytes / element);
        long bytes = n * element;

        // Filled (not just allocated) so that every page is resident before the timing.
        var buffer = ones(n, dtype: dtype);
        int sums = (int)Math.Max(1, bytes_per_timing / bytes);
        double read = fastest(repeats, () =>
        {
            for (int i = 0; i < sums; i++) buffer.sum().Dispose();
        }) / sums;
        buffer.Dispose();

        var g = new Generator(1);
        var a = randn(new[] { gemm_size, gemm_size }, dtype: dtype, generator: g);
        var b = randn(new[] { gemm_size, gemm_size }, dtype: dtype, generator: g);
        double gemm = fastest(Math.Min(repeats, 3), () => a.matmul(b).Dispose());
        double flops = 2.0 * gemm_size * gemm_size * gemm_size;
        return new MachineFloor(bytes, bytes / read, gemm_size, flops / gemm, dtype, get_num_threads());
    }

    /// <summary>The floor in milliseconds of one evaluation on m × d data with K outputs, X of <see cref="x_bytes"/>.</summary>
    public double floor_ms(long m, long d, long k) => floor_ms(x_bytes, bandwidth, m, d, k, flop_rate);

    /// <summary>Whether the bandwidth term (not the FLOP term) sets the floor for m × d × K.</summary>
    public bool bandwidth_bound(long m, long d, long k) => read_ms(x_bytes, bandwidth) >= compute_ms(m, d, k, flop_rate);

    /// <summary>
    /// <c>1000 · max(2·x_bytes / bandwidth, 4·m·d·K / flop_rate)</c>: milliseconds of one evaluation at the machine's
    /// limits — X read twice, two matrix products of 2·m·d·K operations each.
    /// </summary>
    /// <param name="x_bytes">Bytes of X.</param>
    /// <param name="bandwidth">Bytes per second.</param>
    /// <param name="m">Rows.</param>
    /// <param name="d">Features.</param>
    /// <param name="k">Outputs (1 for binary logistic regression).</param>
    /// <param name="flop_rate">Floating-point operations per second.</param>
    public static double floor_ms(long x_bytes, double bandwidth, long m, long d, long k, double flop_rate)
    {
        if (!(bandwidth > 0)) throw new ArgumentOutOfRangeException(nameof(bandwidth), bandwidth, "The bandwidth must be > 0 bytes per second.");
        if (!(flop_rate > 0)) throw new ArgumentOutOfRangeException(nameof(flop_rate), flop_rate, "The FLOP rate must be > 0.");
        return Math.Max(read_ms(x_bytes, bandwidth), compute_ms(m, d, k, flop_rate));
    }

    /// <summary>One line: bandwidth in GB/s over the size of X, GEMM rate in GFLOP/s, threads.</summary>
    public override string ToString() => FormattableString.Invariant(
        $"streaming read {bandwidth / 1e9:F1} GB/s over {format_bytes(x_bytes)} (the size of X), {dtype.ToString().ToLowerInvariant()} GEMM {gemm_size}² {flop_rate / 1e9:F1} GFLOP/s, {threads} thread(s)");

    /// <summary>Bytes in B, kB, MB or GB (powers of 1000).</summary>
    public static string format_bytes(double bytes) => bytes switch
    {
        < 1e3 => FormattableString.Invariant($"{bytes:F0} B"),
        < 1e6 => FormattableString.Invariant($"{bytes / 1e3:F1} kB"),
        < 1e9 => FormattableString.Invariant($"{bytes / 1e6:F1} MB"),
        _ => FormattableString.Invariant($"{bytes / 1e9:F2} GB"),
    };

    private static double read_ms(long x_bytes, double bandwidth) => 1000 * 2.0 * x_bytes / bandwidth;

    private static double compute_ms(long m, long d, long k, double flop_rate) => 1000 * 4.0 * m * d * k / flop_rate;

    private static double fastest(int repeats, Action action)
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
