using System.Runtime.CompilerServices;

namespace TorchLogistic.Tests.Support;

/// <summary>
/// The tests run libtorch on one thread, as the CLI does for every problem of their size
/// (<see cref="TorchLogistic.Performance.ThreadPolicy"/>): with several threads, MKL may split a product
/// differently from call to call and change the last bit, which bit-for-bit tests would see.
/// </summary>
internal static class TestThreads
{
    [ModuleInitializer]
    internal static void use_one_thread() => TorchSharp.torch.set_num_threads(1);
}
