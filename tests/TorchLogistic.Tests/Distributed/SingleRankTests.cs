using TorchLogistic.Data;
using TorchLogistic.Distributed;
using TorchLogistic.Native;
using TorchLogistic.Objectives;
using TorchLogistic.Optim;
using TorchLogistic.Training;
using static TorchSharp.torch;

namespace TorchLogistic.Tests.Distributed;

/// <summary>
/// The distributed path in one process (a group of one rank, MPI never loaded): the objective summed over the
/// "ranks" and the distributed trainer must equal the single-process objective and trainer. The multi-rank runs
/// are in <see cref="MpiRunTests"/>.
/// </summary>
public class SingleRankTests
{
    [Theory]
    [InlineData(1, 0.0)]
    [InlineData(3, 0.0)]
    [InlineData(3, 0.1)]
    public void TheDistributedObjectiveOfOneRankIsTheLinearModelObjective(int outputCount, double l1Ratio)
    {
        using var scope = NewDisposeScope();
        var random = new Random(7);
        int m = 60, d = 4;
        var xs = Enumerable.Range(0, m * d).Select(_ => random.NextDouble() * 4 - 2).ToArray();
        var ys = Enumerable.Range(0, m).Select(i => (long)(i % (outputCount == 1 ? 2 : outputCount))).ToArray();
        var ws = Enumerable.Range(0, m).Select(_ => 0.5 + random.NextDouble()).ToArray();
        var x = tensor(xs, new long[] { m, d }, ScalarType.Float64);
        var y = tensor(ys, ScalarType.Int64);
        var s = tensor(ws, ScalarType.Float64);
        var penalty = new Penalty(l1Ratio == 0 ? PenaltyKind.L2 : PenaltyKind.ElasticNet, 0.3, l1Ratio);
        using var reference = new LinearModelObjective(x, y, outputCount, penalty, s);
        using var communicator = new SingleProcessCommunicator();
        using var objective = new DistributedObjective(communicator, new LinearModelObjective(x, y, outputCount, Penalty.None, s), x, s,
            new RowShard(0, m, m), outputCount, penalty);
        int p = reference.ParameterCount;
        var theta = Enumerable.Range(0, p).Select(_ => random.NextDouble() - 0.5).ToArray();
        var v = Enumerable.Range(0, p).Select(_ => random.NextDouble() - 0.5).ToArray();
        var g1 = new double[p];
        var g2 = new double[p];
        Assert.Equal(reference.ValueAndGradient(theta, g1), objective.ValueAndGradient(theta, g2), 1e-14);
        AssertClose(g1, g2, 1e-13);
        Assert.Equal(reference.Value(theta), objective.Value(theta), 1e-14);
        var h1 = new double[p];
        var h2 = new double[p];
        reference.HessianVectorProduct(theta, v, h1);
        objective.HessianVectorProduct(theta, v, h2);
        AssertClose(h1, h2, 1e-13);
        AssertClose(reference.Hessian(theta), objective.Hessian(theta), 1e-13);
        Assert.Equal(reference.L1Strength, objective.L1Strength);
        Assert.Equal(reference.L2Strength, objective.L2Strength);
        Assert.Equal(reference.LipschitzBound(), objective.LipschitzBound(), 1e-12);
        reference.Precondition(v, h1);
        objective.Precondition(v, h2);
        AssertClose(h1, h2, 1e-12);
    }

    [Theory]
    [InlineData("breast-cancer", SolverKind.LbfgsPrecond, PenaltyKind.L2, true)]
    [InlineData("iris", SolverKind.NewtonCg, PenaltyKind.L2, false)]
    [InlineData("iris", SolverKind.OwlQn, PenaltyKind.L1, true)]
    public void TheDistributedTrainerOfOneRankFitsWhatTheTrainerFits(string name, SolverKind solver, PenaltyKind penalty, bool standardize)
    {
        var data = Datasets.Load(name);
        var options = new TrainingOptions
        {
            Model = data.ClassCount == 2 ? ModelKind.Logistic : ModelKind.Softmax,
            Solver = solver,
            Penalty = penalty,
            Standardize = standardize,
            ClassWeight = ClassWeightMode.Balanced,
        };
        using var single = Trainer.Fit(data, options);
        using var communicator = new SingleProcessCommunicator();
        using var distributed = DistributedTrainer.Fit(communicator, data, new RowShard(0, data.SampleCount, data.SampleCount), options);
        Assert.Equal(single.Result!.Iterations, distributed.Result!.Iterations);
        AssertClose(single.ParametersFor(null), distributed.ParametersFor(null), 1e-12);
    }

    [Fact]
    public void StochasticSolversAndOneVsRestAreRefusedWithTheFix()
    {
        var data = Datasets.Load("iris");
        using var communicator = new SingleProcessCommunicator();
        var shard = new RowShard(0, data.SampleCount, data.SampleCount);
        var sgd = Assert.Throws<ArgumentException>(() => DistributedTrainer.Fit(communicator, data, shard, new TrainingOptions { Model = ModelKind.Softmax, Solver = SolverKind.Sgd }));
        Assert.Contains("full-batch", sgd.Message);
        var ovr = Assert.Throws<ArgumentException>(() => DistributedTrainer.Fit(communicator, data, shard, new TrainingOptions { Model = ModelKind.OneVsRest }));
        Assert.Contains("Use Softmax", ovr.Message);
    }

    [Theory]
    [InlineData(10, 3, new long[] { 0, 3, 6 }, new long[] { 3, 3, 4 })]
    [InlineData(7, 4, new long[] { 0, 1, 3, 5 }, new long[] { 1, 2, 2, 2 })]
    [InlineData(2, 4, new long[] { 0, 0, 1, 1 }, new long[] { 0, 1, 0, 1 })]
    public void RowShardsAreContiguousAndCoverEveryRowOnce(long total, int size, long[] offsets, long[] counts)
    {
        for (int r = 0; r < size; r++)
        {
            var shard = RowShard.Of(total, r, size);
            Assert.Equal((offsets[r], counts[r], total), (shard.Offset, shard.Count, shard.Total));
        }
    }

    [Fact]
    public void CheckpointsRoundTripAndRefuseAnotherProblem()
    {
        var checkpoint = new Checkpoint(40, 0.25, SolverKind.Lbfgs, 569, new[] { 1.5, -2.0, double.Epsilon });
        var back = Checkpoint.FromBytes(checkpoint.ToBytes(), "c");
        Assert.Equal((40, 0.25, SolverKind.Lbfgs, 569L), (back.Iteration, back.Objective, back.Solver, back.TotalRows));
        Assert.Equal(checkpoint.Theta, back.Theta);
        Assert.Contains("569 training rows; this run has 568", Assert.Throws<ArgumentException>(() => back.CheckMatches(SolverKind.Lbfgs, 3, 568, "c")).Message);
        Assert.Contains("'newton-cg'", Assert.Throws<ArgumentException>(() => back.CheckMatches(SolverKind.NewtonCg, 3, 569, "c")).Message);
        Assert.Contains("not a checkpoint", Assert.Throws<InvalidDataException>(() => Checkpoint.FromBytes(checkpoint.ToBytes()[..20], "c")).Message);
        var state = new SolverState(SolverKind.Lbfgs, new Dictionary<string, double[]> { ["memory.count"] = new[] { 1.0 }, ["memory.s0"] = new[] { 0.5, -0.25 } });
        var withState = Checkpoint.FromBytes((checkpoint with { State = state }).ToBytes(), "c");
        Assert.Equal(new[] { 0.5, -0.25 }, withState.State!.Vector("memory.s0"));
        Assert.Equal(1.0, withState.State.Scalar("memory.count"));
        Assert.Contains("not a checkpoint", Assert.Throws<InvalidDataException>(() => Checkpoint.FromBytes((checkpoint with { State = state }).ToBytes()[..^4], "c")).Message);
    }

    [Theory]
    [InlineData(SolverKind.Lbfgs, PenaltyKind.L2)]
    [InlineData(SolverKind.LbfgsPrecond, PenaltyKind.L2)]
    [InlineData(SolverKind.OwlQn, PenaltyKind.L1)]
    [InlineData(SolverKind.Fista, PenaltyKind.ElasticNet)]
    [InlineData(SolverKind.GdLipschitz, PenaltyKind.L2)]
    [InlineData(SolverKind.NewtonCg, PenaltyKind.L2)]
    public void AResumedRunContinuesTheIteratesOfTheUninterruptedRun(SolverKind solver, PenaltyKind penalty)
    {
        var data = Datasets.Load("breast-cancer");
        var options = new TrainingOptions { Solver = solver, Penalty = penalty, C = 0.1, Standardize = true, Tolerance = 1e-10, MaxIterations = 3000 };
        var shard = new RowShard(0, data.SampleCount, data.SampleCount);
        using var communicator = new SingleProcessCommunicator();
        using var whole = DistributedTrainer.Fit(communicator, data, shard, options);
        int stopAt = Math.Max(2, whole.Result!.Iterations / 2);
        string path = Path.Combine(Path.GetTempPath(), $"tl-resume-{Guid.NewGuid():N}.checkpoint");
        try
        {
            using (DistributedTrainer.Fit(communicator, data, shard, options with { MaxIterations = stopAt }, checkpoints: new CheckpointPolicy(path, stopAt))) { }
            var saved = Checkpoint.FromBytes(File.ReadAllBytes(path), path);
            Assert.Equal(stopAt, saved.Iteration);
            Assert.NotNull(saved.State);
            if (solver is SolverKind.Lbfgs or SolverKind.OwlQn) Assert.True(saved.State!.Scalar("memory.count") > 0);
            using var resumed = DistributedTrainer.Fit(communicator, data, shard, options, checkpoints: new CheckpointPolicy(path, 0, saved));
            Assert.Equal(whole.Result.Iterations, resumed.Result!.Iterations);
            AssertClose(whole.ParametersFor(null), resumed.ParametersFor(null), 1e-12);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TrainingWithoutDistributedNeverLoadsMpi()
    {
        using var model = Trainer.Fit(Datasets.Load("iris"), new TrainingOptions { Model = ModelKind.Softmax });
        Assert.DoesNotContain(LoadedLibraries.Read(), path => Path.GetFileName(path).StartsWith("libmpi", StringComparison.Ordinal));
    }

    internal static void AssertClose(double[] expected, double[] actual, double relative)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = Math.Max(expected.Max(Math.Abs), double.Epsilon);
        double worst = expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max() / scale;
        Assert.True(worst <= relative, $"largest difference {worst:g3} relative to {scale:g3}, over {relative:g3}");
    }
}
