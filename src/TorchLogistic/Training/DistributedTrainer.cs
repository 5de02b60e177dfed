using TorchLogistic.Data;
using TorchLogistic.Distributed;
using TorchLogistic.Models;
using TorchLogistic.Objectives;
using TorchLogistic.Optim;
using static TorchSharp.torch;

namespace TorchLogistic.Training;

/// <summary>
/// Data-parallel training: every rank holds a shard of the rows (<see cref="ShardedDataset"/>) and runs the same
/// full-batch solver on the same <see cref="DistributedObjective"/>, whose values and gradients are sums over all
/// ranks. Standardisation statistics, class counts (for balanced class weights) and row counts are agreed by
/// allreduce first, so the model equals the one <see cref="Trainer.Fit(Dataset, TrainingOptions, Dataset, Action{IterationRecord}, CancellationToken, double[], FittedModel)"/> fits on all rows in one process, up to
/// the order of summation (measured: 1e-10 relative or better), with the same iteration count; every rank returns
/// it. Stochastic solvers (sgd, adagrad) and one-vs-rest are refused: they are not a sum over rows per step.
/// </summary>
public static partial class DistributedTrainer
{
    /// <summary>Trains on this rank's <paramref name="local"/> rows, collectively with the other ranks of <paramref name="communicator"/>.</summary>
    /// <param name="communicator">The ranks; every rank calls this with the same options.</param>
    /// <param name="local">This rank's rows, with the classes every rank agreed on (see <see cref="ShardedDataset.Load"/>).</param>
    /// <param name="shard">Where <paramref name="local"/> sits among all rows.</param>
    /// <param name="options">What to train and how; validated first.</param>
    /// <param name="onIteration">Called after every iteration (progress; call it on rank 0 only for one display).</param>
    /// <param name="cancellation">Stops training between iterations (on every rank, or the others wait).</param>
    /// <param name="checkpoints">Optional periodic checkpoints and the one to resume from.</param>
    public static FittedModel Fit(ICommunicator communicator, Dataset local, RowShard shard, TrainingOptions options,
        Action<IterationRecord>? onIteration = null, CancellationToken cancellation = default, CheckpointPolicy? checkpoints = null)
    {
        options.Validate();
        if (options.Model == ModelKind.OneVsRest)
            throw new ArgumentException("Distributed training fits one model over all ranks; TrainingOptions.Model = OneVsRest is not supported. Use Softmax.");
        var kind = SolverRegistry.Resolve(options.Solver, options.Penalty, local.FeatureCount);
        if (kind is SolverKind.Sgd or SolverKind.Adagrad)
            throw new ArgumentException($"Distributed training runs full-batch solvers; '{SolverRegistry.NameOf(kind)}' takes mini-batches. Use TrainingOptions.Solver = Lbfgs (or NewtonCg, OwlQn, Fista, Gd).");
        if (shard.Count != local.SampleCount)
            throw new ArgumentException($"The shard says {shard.Count} rows but the data has {local.SampleCount}.");
        if (local.SampleCount == 0)
            throw new ArgumentException($"Rank {communicator.Rank} has no rows of '{local.Name}'. Every rank needs at least one row; launch fewer ranks.");
        CheckFinite(local);
        long[] classCounts = ShardStatistics.ClassCounts(communicator, local);
        if (classCounts.Count(c => c > 0) < 2)
            throw new ArgumentException($"The training rows of '{local.Name}' contain a single class. A classifier needs at least two classes.");
        if (options.Model == ModelKind.Logistic && local.ClassCount != 2)
            throw new ArgumentException($"Binary logistic regression needs exactly 2 classes; '{local.Name}' has {local.ClassCount} ({string.Join(", ", local.Classes.Take(10))}). Use TrainingOptions.Model = Softmax.");

        var polynomial = options.PolynomialDegree > 1 ? new PolynomialFeatures(local.FeatureCount, options.PolynomialDegree) : null;
        var expanded = polynomial?.Transform(local) ?? local;
        var scaler = options.Standardize ? ShardStatistics.Scaler(communicator, expanded, shard.Total) : null;
        var rows = scaler?.Transform(expanded) ?? expanded;
        int outputs = options.Model == ModelKind.Softmax ? local.ClassCount : 1;
        Trainer.CheckMemory(options, rows.FeatureCount, outputs);

        LinearClassifier module = options.Model == ModelKind.Logistic
            ? new LogisticRegression(rows.FeatureCount, options.DType)
            : new SoftmaxRegression(rows.FeatureCount, local.ClassCount, options.DType);
        try
        {
            double[]? s = SampleWeights.Combine(local.Labels, local.SampleWeight, Trainer.ClassWeights(local.Classes, classCounts, options));
            using var scope = NewDisposeScope();
            var x = rows.FeaturesTensor(options.DType);
            var y = rows.LabelsTensor();
            var sw = s == null ? null : tensor(s, ScalarType.Float64).to_type(options.DType);
            var dataTerm = Trainer.CreateObjective(module, x, y, sw, options with { Penalty = PenaltyKind.None });
            using var objective = new DistributedObjective(communicator, dataTerm, x, sw, shard, outputs, options.PenaltyObject);

            var result = Run(communicator, objective, kind, module.ParameterCount, shard, options, onIteration, cancellation, checkpoints, rows.FeatureCount);
            module.VectorToParameters(result.Theta);
            return new FittedModel(module, local.Classes, local.FeatureNames, scaler, options, result, polynomial);
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    /// <summary>The solver's run on the distributed objective, from a checkpoint when one is given, saving checkpoints on rank 0.</summary>
    private static TrainingResult Run(ICommunicator communicator, DistributedObjective objective, SolverKind kind, int parameterCount, RowShard shard, TrainingOptions options,
        Action<IterationRecord>? onIteration, CancellationToken cancellation, CheckpointPolicy? checkpoints, int featureCount)
    {
        var theta0 = new double[parameterCount];
        int done = 0;
        if (checkpoints?.ResumeFrom is { } resume)
        {
            resume.CheckMatches(kind, parameterCount, shard.Total, checkpoints.Path);
            theta0 = (double[])resume.Theta.Clone();
            done = resume.Iteration;
        }
        var solver = SolverRegistry.Create(options.SolverSettings, options.Penalty, featureCount);
        Action<int, double[]>? save = checkpoints == null || checkpoints.Every <= 0 || communicator.Rank != 0 ? null : (iteration, theta) =>
        {
            if ((done + iteration) % checkpoints.Every == 0)
                new Checkpoint(done + iteration, solver.Objective, kind, shard.Total, theta, solver.CaptureState()).Save(checkpoints.Path);
        };
        Action<IterationRecord>? progress = onIteration == null ? null : r => onIteration(r with { Iteration = r.Iteration + done });
        var result = TrainingLoop.Run(objective, solver, theta0, Math.Max(1, options.MaxIterations - done), options.Tolerance, null, progress, cancellation, save,
            checkpoints?.ResumeFrom?.State);
        if (done > 0) result = result with { Iterations = result.Iterations + done };
        return result;
    }

    private static void CheckFinite(Dataset data)
    {
        for (long i = 0; i < data.Features.Length; i++)
        {
            if (!double.IsFinite(data.Features[i]))
                throw new ArgumentException($"The training data '{data.Name}' has a non-finite value ({data.Features[i]}) in a row of this rank's shard (local row {i / data.FeatureCount}), feature '{data.FeatureNames[i % data.FeatureCount]}'. Remove or impute NaN and infinite values.");
        }
    }
}
