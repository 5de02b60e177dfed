using System.Runtime.InteropServices;
using TorchLogistic.Performance;

namespace TorchLogistic.Tests.Performance;

public class PeakMemoryTests
{
    [Fact]
    public void Peak_grows_by_a_touched_native_allocation_and_reset_brings_it_back_down()
    {
        Assert.True(PeakMemory.Reset());
        long before = PeakMemory.Bytes()!.Value;
        const int size = 256 << 20;
        // Native memory (malloc maps a block this large and unmaps it on free), as libtorch's tensors are.
        nint block = Marshal.AllocHGlobal(size);
        for (int i = 0; i < size; i += 4096)
            Marshal.WriteByte(block, i, 1);
        long during = PeakMemory.Bytes()!.Value;
        Marshal.FreeHGlobal(block);
        Assert.InRange(during - before, size * 0.9, size * 1.5);
        Assert.True(PeakMemory.Reset());
        Assert.True(PeakMemory.Bytes()!.Value < during - size / 2, "reset should drop the peak to the current size once the block is freed");
        Assert.True(PeakMemory.CurrentBytes()!.Value <= PeakMemory.Bytes()!.Value);
    }
}
