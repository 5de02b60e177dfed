using System.Diagnostics;
using TorchLogistic.Losses;
using TorchLogistic.Native;
using static TorchSharp.torch;

namespace TorchLogistic.Tests.Native;

/// <summary>
/// The losses' Scalars outlive the native ops that read them while other threads collect garbage (Native/Scalars.cs).
/// </summary>
public class ScalarLifetimeTests
{
    /// <summary>
    /// A race, so this can only make a regression likely to show, never prove its absence; the guard that cannot miss
    /// one is Architecture/ImplicitScalarTests. Measured with the core before the fix (session 6, 2 busy cores): this loop
    /// (softmax with label smoothing: Hessian, gradient, loss, and the binary loss's) failed 6–33 times in each 10 s run,
    /// i.e. ~1–3 per second, in Release; Debug does not hide it, because the Scalars that die early are made inside
    /// TorchSharp.dll (a Release build, e.g. the alpha of <c>add(Tensor)</c>) or passed straight from the call site,
    /// never held in one of our locals, so the 2.5 s here would have failed almost surely. What it cannot catch: an
    /// implicit Scalar on a path it does not run (the solvers, metrics, calibration) — the architecture test covers those.
    /// </summary>
    [Fact]
    public void Losses_on_two_threads_survive_collections_on_a_third()
    {
        var stop = Stopwatch.StartNew();
        const double seconds = 2.5;
        long iterations = 0, collections = 0;
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        void Work(ulong seed)
        {
            using var gen = new Generator(seed);
            var softmax = new LinearModelLoss(new PointwiseCrossEntropy(labelSmoothing: 0.1), 8, 4);
            var binary = new LinearModelLoss(new PointwiseBinaryCrossEntropy(), 8, 1);
            while (stop.Elapsed.TotalSeconds < seconds)
            {
                try
                {
                    using var scope = NewDisposeScope();
                    var x = randn(new long[] { 64, 8 }, dtype: ScalarType.Float64, generator: gen);
                    var y = randint(0, 4, new long[] { 64 }, generator: gen);
                    var theta = randn(new long[] { softmax.ParameterCount }, dtype: ScalarType.Float64, generator: gen).Times(0.1);
                    Assert.Equal(36, softmax.Hessian(theta, x, y, null, 1e-3).shape[0]);
                    Assert.Equal(36, softmax.Gradient(theta, x, y, null, 1e-3).shape[0]);
                    Assert.True(double.IsFinite(softmax.Loss(theta, x, y, null, 1e-3).item<double>()));
                    var t = randint(0, 2, new long[] { 64 }, generator: gen).to_type(ScalarType.Float64);
                    var beta = theta.narrow(0, 0, 9);
                    Assert.Equal(9, binary.Hessian(beta, x, t, null, 1e-3).shape[0]);
                    Interlocked.Increment(ref iterations);
                }
                catch (Exception e) when (e is not Xunit.Sdk.XunitException)
                {
                    errors.Enqueue(e.Message.Split('\n')[0]);
                }
            }
        }
        var workers = new[] { new Thread(() => Work(1)), new Thread(() => Work(2)) };
        var collector = new Thread(() =>
        {
            while (stop.Elapsed.TotalSeconds < seconds)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                Interlocked.Increment(ref collections);
            }
        });
        foreach (var w in workers) w.Start();
        collector.Start();
        foreach (var w in workers) w.Join();
        collector.Join();
        Assert.True(errors.IsEmpty, $"{errors.Count} of {iterations + errors.Count} iterations failed, e.g. {errors.FirstOrDefault()}");
        Assert.True(iterations >= 50 && collections >= 20, $"too little ran to mean anything: {iterations} iterations, {collections} collections");
    }
}
