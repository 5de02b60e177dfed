using TorchLogistic.Performance;
using TorchLogistic.Tests.Support;
using static TorchSharp.torch;

namespace TorchLogistic.Tests.Performance;

public class MachineFloorTests
{
    // Fashion-MNIST's shape in float32: X is 60 000 × 784 × 4 bytes = 188.16 MB, K = 10.
    private const long M = 60_000, D = 784, K = 10, XBytes = M * D * 4;

    [Fact]
    public void Floor_is_two_reads_of_X_when_the_bandwidth_limits()
    {
        // 2 · 188.16e6 B / 10e9 B/s = 37.632 ms; 4 · 60 000 · 784 · 10 / 100e9 FLOP/s = 18.816 ms.
        Close.Equal(37.632, MachineFloor.FloorMs(XBytes, 10e9, M, D, K, 100e9), relativeTolerance: 1e-12);
        var floor = new MachineFloor(XBytes, 10e9, 2048, 100e9, ScalarType.Float32, 2);
        Close.Equal(37.632, floor.FloorMs(M, D, K), relativeTolerance: 1e-12);
        Assert.True(floor.BandwidthBound(M, D, K));
    }

    [Fact]
    public void Floor_is_the_two_products_when_the_flop_rate_limits()
    {
        // 4 · 60 000 · 784 · 10 / 40e9 = 47.04 ms > 37.632 ms.
        Close.Equal(47.04, MachineFloor.FloorMs(XBytes, 10e9, M, D, K, 40e9), relativeTolerance: 1e-12);
        Assert.False(new MachineFloor(XBytes, 10e9, 2048, 40e9, ScalarType.Float32, 2).BandwidthBound(M, D, K));
        // Binary logistic regression (K = 1) on breast cancer in float64: 2·569·30·8 B at 50 GB/s = 5.4624 µs < 4·569·30 / 10 GFLOP/s = 6.828 µs.
        Close.Equal(6.828e-3, MachineFloor.FloorMs(569 * 30 * 8, 50e9, 569, 30, 1, 10e9), relativeTolerance: 1e-12);
    }

    [Fact]
    public void Rates_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MachineFloor.FloorMs(XBytes, 0, M, D, K, 1e9));
        Assert.Throws<ArgumentOutOfRangeException>(() => MachineFloor.FloorMs(XBytes, 1e9, M, D, K, double.NaN));
    }

    [Fact]
    public void Measuring_gives_finite_positive_rates_over_the_requested_buffer()
    {
        var floor = MachineFloor.Measure(1 << 20, ScalarType.Float64, repeats: 1, gemmSize: 128);
        Assert.Equal(1 << 20, floor.XBytes);
        Assert.True(floor.Bandwidth > 0 && double.IsFinite(floor.Bandwidth), $"bandwidth {floor.Bandwidth}");
        Assert.True(floor.FlopRate > 0 && double.IsFinite(floor.FlopRate), $"flop rate {floor.FlopRate}");
        Assert.Equal(get_num_threads(), floor.Threads);
    }
}
