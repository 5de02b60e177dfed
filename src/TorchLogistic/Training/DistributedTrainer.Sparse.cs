using TorchLogistic.Data;
using TorchLogistic.Distributed;
using TorchLogistic.Models;
using TorchLogistic.Objectives;
using TorchLogistic.Optim;
using TorchLogistic.Sparse;
using static TorchSharp.torch;

namespace TorchLogistic.Training;

public static partial class DistributedTrainer
{
    /// <summary>
    /// Trains on this rank's sparse rows (<see cref="ShardedSparseDataset"/>), collectively with the other ranks: the
    /// model <see cref="Trainer.Fit(SparseDataset, TrainingOptions, SparseDataset?, Action{IterationRecord}?, CancellationToken, double[])"/>
    /// fits on all rows in one process, up to the order of summation. Each rank's data term is the single-process
    /// sparse objective on its rows (sparse products; the managed kernel for binary float64); standardisation scales
    /// without centring (<see cref="ShardStatistics.ScalerWithoutCentering"/>), as one process does. The options
    /// sparse training refuses are refused (<see cref="Trainer.CheckSparseOptions"/>), and so is a model without intercept.
    /// lbfgs-precond (auto's choice for small problems) preconditions as one process does: Jacobi (the Hessian's
    /// diagonal at the last gradient's θ, summed over ranks) for binary, the curvature bound for softmax.
    /// </summary>
    /// <param name="communicator">The ranks; every rank calls this with the same options.</param>
    /// <param name="local">This rank's rows, with the classes and feature count every rank agreed on.</param>
    /// <param name="shard">Where <paramref name="local"/> sits among all rows.</param>
    /// <param name="options">What to train and how; validated first.</param>
    /// <param name="onIteration">Called after every iteration (progress; call it on rank 0 only for one display).</param>
    /// <param name="cancellation">Stops training between iterations (on every rank, or the others wait).</param>
    /// <param name="checkpoints">Optional periodic checkpoints and the one to resume from.</param>
    public static FittedModel Fit(ICommunicator communicator, SparseDataset local, RowShard shard, TrainingOptions options,
        Action<IterationRecord>? onIteration = null, CancellationToken cancellation = default, CheckpointPolicy? checkpoints = null)
    {
        options.Validate();
        Trainer.CheckSparseOptions(options);
        int d = local.FeatureCount;
        var kind = SolverRegistry.Resolve(options.Solver, options.Penalty, d);
        if (kind is SolverKind.Sgd or SolverKind.Adagrad)
            throw new ArgumentException($"Distributed training runs full-batch solvers; '{SolverRegistry.NameOf(kind)}' takes mini-batches. Use TrainingOptions.Solver = Lbfgs (or NewtonCg, OwlQn, Fista, Gd).");
        if (!options.FitIntercept)
            throw new ArgumentException("Distributed training fits an intercept; TrainingOptions.FitIntercept = false is not supported with sparse rows. Drop it.");
        if (shard.Count != local.SampleCount)
            throw new ArgumentException($"The shard says {shard.Count} rows but the data has {local.SampleCount}.");
        if (local.SampleCount == 0)
            throw new ArgumentException($"Rank {communicator.Rank} has no rows of '{local.Name}'. Every rank needs at least one row; launch fewer ranks.");
        if (d == 0) throw new ArgumentException($"The training data '{local.Name}' has no features (no index:value pairs) on any rank.");
        long[] classCounts = ShardStatistics.ClassCounts(communicator, local);
        if (classCounts.Count(c => c > 0) < 2)
            throw new ArgumentException($"The training rows of '{local.Name}' contain a single class. A classifier needs at least two classes.");
        if (options.Model == ModelKind.Logistic && local.ClassCount != 2)
            throw new ArgumentException($"Binary logistic regression needs exactly 2 classes; '{local.Name}' has {local.ClassCount} ({string.Join(", ", local.Classes.Take(10))}). Use TrainingOptions.Model = Softmax.");

        int k = options.Model == ModelKind.Logistic ? 1 : local.ClassCount;
        if (kind == SolverKind.Newton)
            MemoryBudget.CheckSquare("Solver 'newton' needs a dense Hessian even for sparse features (features that share a row couple)", (long)k * (d + 1), 8, 3,
                $"Use {nameof(TrainingOptions)}.{nameof(TrainingOptions.Solver)} = newton-cg (Hessian-vector products through the sparse matrix) or lbfgs.");
        Trainer.CheckMemory(options, d, k);
        var scaler = options.Standardize ? ShardStatistics.ScalerWithoutCentering(communicator, local, shard.Total) : null;
        var rows = scaler?.Transform(local) ?? local;

        LinearClassifier module = options.Model == ModelKind.Logistic
            ? new LogisticRegression(d, fitIntercept: true)
            : new SoftmaxRegression(d, local.ClassCount, fitIntercept: true);
        try
        {
            double[]? s = SampleWeights.Combine(local.Labels, local.SampleWeight, Trainer.ClassWeights(local.Classes, classCounts, options));
            using var scope = NewDisposeScope();
            var x = new SparseFeatureMatrix(rows.Features);
            var y = tensor(rows.Labels.Select(l => (long)l).ToArray(), ScalarType.Int64);
            var sw = s == null ? null : tensor(s, ScalarType.Float64);
            var dataTerm = new LinearModelObjective(x, y, k, Penalty.None, sw, options.LabelSmoothing, fitIntercept: true);
            using var objective = new DistributedObjective(communicator, dataTerm, x, sw, shard, k, options.PenaltyObject);
            var result = Run(communicator, objective, kind, module.ParameterCount, shard, options, onIteration, cancellation, checkpoints, d);
            module.VectorToParameters(result.Theta);
            return new FittedModel(module, local.Classes, local.FeatureNames, scaler, options, result);
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }
}
