using TorchLogistic.Performance;

namespace TorchLogistic.Tests.Performance;

public class PeakMemoryTests
{
    [Fact]
    public void Peak_grows_by_a_touched_allocation_and_reset_brings_it_back_down()
    {
        Assert.True(PeakMemory.reset());
        long before = PeakMemory.bytes()!.Value;
        const int size = 256 << 20;
        var block = GC.AllocateUninitializedArray<byte>(size);
        for (int i = 0; i < size; i += 4096)
            block[i] = 1;
        long during = PeakMemory.bytes()!.Value;
        Assert.InRange(during - before, size * 0.9, size * 1.5);
        GC.KeepAlive(block);
        block = null;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        Assert.True(PeakMemory.reset());
        Assert.True(PeakMemory.bytes()!.Value < during - size / 2, "reset should drop the peak to the current size once the block is freed");
        Assert.True(PeakMemory.current_bytes()!.Value <= PeakMemory.bytes()!.Value);
    }
}
