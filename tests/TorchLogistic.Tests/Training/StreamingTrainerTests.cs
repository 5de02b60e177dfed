using System.Globalization;
using TorchLogistic.Data;
using TorchLogistic.Metrics;
using TorchLogistic.Objectives;
using TorchLogistic.Optim;
using TorchLogistic.Tests.Support;
using TorchLogistic.Training;
using static TorchSharp.torch;

namespace TorchLogistic.Tests.Training;

public class StreamingTrainerTests
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>A built-in data set written as a CSV (exact "R" numbers), with a weight column w = 1, 2, 3, 1, ... when asked.</summary>
    private static string WriteCsv(TempFolder folder, string name, bool weights = false)
    {
        var data = BuiltinDatasets.Load(name);
        var lines = new List<string> { string.Join(",", data.FeatureNames.Concat(weights ? new[] { "w" } : Array.Empty<string>()).Append("label")) };
        for (int i = 0; i < data.SampleCount; i++)
        {
            var cells = Enumerable.Range(0, data.FeatureCount).Select(j => data[i, j].ToString("R", C));
            if (weights) cells = cells.Append((1 + i % 3).ToString(C));
            lines.Add(string.Join(",", cells.Append(data.Classes[data.Labels[i]])));
        }
        string path = folder.File($"{name}.csv");
        File.WriteAllLines(path, lines);
        return path;
    }

    /// <summary>The in-memory objective of the CSV's rows, standardised with <see cref="StandardScaler.Fit"/> when asked.</summary>
    private static LinearModelObjective InMemory(Dataset data, TrainingOptions options, int k)
    {
        var scaler = options.Standardize ? StandardScaler.Fit(data) : null;
        var rows = scaler?.Transform(data) ?? data;
        double[]? s = SampleWeights.Combine(data.Labels, data.SampleWeight, Trainer.ClassWeights(data, options));
        using var scope = NewDisposeScope();
        return new LinearModelObjective(rows.FeaturesTensor(), rows.LabelsTensor(), k, options.PenaltyObject,
            s == null ? null : tensor(s, ScalarType.Float64), options.LabelSmoothing);
    }

    public static TheoryData<string, bool, TrainingOptions> SgdCases => new()
    {
        // Binary, L2 (schedule lr/(1 + lr·λ₂·t)), standardised, sample and balanced class weights, a last batch of 569 mod 7 = 2 rows.
        { "breast-cancer", true, new TrainingOptions { Solver = SolverKind.Sgd, LearningRate = 0.2, BatchSize = 7, MaxIterations = 3, Standardize = true, ClassWeight = ClassWeightMode.Balanced, Tolerance = 1e-300 } },
        // Softmax without penalty (schedule lr/√(1 + t/n_batches)), label smoothing, raw features.
        { "iris", false, new TrainingOptions { Model = ModelKind.Softmax, Penalty = PenaltyKind.None, Solver = SolverKind.Sgd, LearningRate = 0.05, BatchSize = 16, MaxIterations = 4, LabelSmoothing = 0.1, Tolerance = 1e-300 } },
    };

    [Theory]
    [MemberData(nameof(SgdCases))]
    public void Streamed_sgd_takes_the_steps_of_in_memory_sgd_over_batches_in_the_same_order(string name, bool weights, TrainingOptions options)
    {
        using var folder = new TempFolder();
        string path = WriteCsv(folder, name, weights);
        string? w = weights ? "w" : null;
        var data = CsvDataset.Load(path, sampleWeight: w);
        int k = options.Model == ModelKind.Logistic ? 1 : data.ClassCount;

        using var objective = InMemory(data, options, k);
        var expected = TrainingLoop.Run(objective, new StochasticGradientDescent(options.LearningRate, options.BatchSize, shuffle: false), new double[objective.ParameterCount],
            options.MaxIterations, options.Tolerance);

        using var stream = CsvBatchStream.Open(path, options.BatchSize, sampleWeight: w);
        using var model = StreamingTrainer.Fit(stream, options);
        var actual = model.Result!;
        double error = Close.RelativeError(actual.Theta, expected.Theta);
        Assert.True(error <= 1e-10, $"θ differs by {error:E2} relative");
        Assert.True(Close.RelativeError(actual.Theta, new double[actual.Theta.Length]) > 0.1, "training moved θ");
        Assert.Equal(expected.History.Count, actual.History.Count);
        foreach (var (e, a) in expected.History.Zip(actual.History))
        {
            Close.Equal(e.Objective, a.Objective, 1e-12, what: $"objective at epoch {e.Iteration}");
            Close.Equal(e.Criterion, a.Criterion, 1e-9, 1e-15, what: $"criterion at epoch {e.Iteration}");
        }
    }

    [Fact]
    public void Streamed_adagrad_is_the_mini_batch_adagrad_of_the_paper_with_its_proximal_step()
    {
        using var folder = new TempFolder();
        string path = WriteCsv(folder, "breast-cancer");
        var options = new TrainingOptions
        {
            Solver = SolverKind.Adagrad, LearningRate = 0.3, BatchSize = 50, MaxIterations = 2, Standardize = true, Penalty = PenaltyKind.ElasticNet, L1Ratio = 0.5, C = 0.05, Tolerance = 1e-300,
        };
        var data = CsvDataset.Load(path);
        using var objective = InMemory(data, options, 1);

        // The reference, written from Duchi, Hazan & Singer (2011): per batch B in file order, G += g_B², η = lr/(√G + 1e-10),
        // θ ← θ − η·g_B, then soft-thresholding by η·λ₁ for the coefficients (λ₁ = ρ/(C·m)).
        int n = objective.ParameterCount, m = data.SampleCount;
        double l1 = 0.5 / (0.05 * m);
        var theta = new double[n];
        var accumulated = new double[n];
        var g = new double[n];
        for (int epoch = 0; epoch < options.MaxIterations; epoch++)
        {
            for (int start = 0; start < m; start += options.BatchSize)
            {
                var rows = Enumerable.Range(start, Math.Min(options.BatchSize, m - start)).Select(i => (long)i).ToArray();
                objective.ValueAndGradient(theta, g, rows);
                for (int j = 0; j < n; j++)
                {
                    accumulated[j] += g[j] * g[j];
                    double eta = 0.3 / (Math.Sqrt(accumulated[j]) + 1e-10);
                    double v = theta[j] - eta * g[j];
                    theta[j] = j < n - 1 ? Math.Sign(v) * Math.Max(Math.Abs(v) - eta * l1, 0) : v;
                }
            }
        }

        using var stream = CsvBatchStream.Open(path, options.BatchSize);
        using var model = StreamingTrainer.Fit(stream, options);
        double error = Close.RelativeError(model.Result!.Theta, theta);
        Assert.True(error <= 1e-10, $"θ differs by {error:E2} relative");
        Assert.Contains(0.0, theta.Take(n - 1));                                       // the L1 part made exact zeros, and the stream made the same
        Assert.Equal(theta.Take(n - 1).Count(v => v == 0), model.Result.Theta.Take(n - 1).Count(v => v == 0));
    }

    [Fact]
    public void A_full_pass_of_the_streaming_objective_is_the_in_memory_objective()
    {
        using var folder = new TempFolder();
        string path = WriteCsv(folder, "iris", weights: true);
        var options = new TrainingOptions { Model = ModelKind.Softmax, C = 0.7, Standardize = true, ClassWeight = ClassWeightMode.Explicit, ClassWeightValues = new[] { 1.0, 2.0, 0.5 }, LabelSmoothing = 0.05 };
        var data = CsvDataset.Load(path, sampleWeight: "w");
        using var memory = InMemory(data, options, 3);
        using var stream = CsvBatchStream.Open(path, 9, sampleWeight: "w");
        using var streamed = new StreamingObjective(stream, 3, options.PenaltyObject, stream.FitScaler(), options.ClassWeightValues, options.LabelSmoothing);
        Assert.Equal(memory.ParameterCount, streamed.ParameterCount);
        Assert.Equal(memory.L2Strength, streamed.L2Strength);
        var random = new Random(4);
        var theta = Enumerable.Range(0, memory.ParameterCount).Select(_ => random.NextDouble() - 0.5).ToArray();
        var expected = new double[theta.Length];
        var actual = new double[theta.Length];
        double f = memory.ValueAndGradient(theta, expected);
        Close.Equal(f, streamed.ValueAndGradient(theta, actual), 1e-12, what: "F");
        Close.All(expected, actual, 1e-11, 1e-14, what: "∇F");
        Assert.False(streamed.IsHessianSupported);
        Assert.Contains("sgd or adagrad", Assert.Throws<NotSupportedException>(() => streamed.Hessian(theta)).Message);
    }

    [Theory]
    [InlineData("breast-cancer", 0.3)]
    [InlineData("iris", null)]
    public void The_evaluation_pass_gives_the_in_memory_metrics(string name, double? threshold)
    {
        using var folder = new TempFolder();
        string path = WriteCsv(folder, name);
        var data = CsvDataset.Load(path);
        using var model = Trainer.Fit(data, new TrainingOptions { Model = data.ClassCount == 2 ? ModelKind.Logistic : ModelKind.Softmax, Standardize = true, MaxIterations = 30 });
        var expected = Evaluation.Of(model, data, threshold);
        using var stream = CsvBatchStream.Open(path, 13);
        var actual = StreamingEvaluation.Of(model, stream, threshold);

        Assert.Equal(expected.SampleCount, actual.SampleCount);
        Assert.Equal(expected.Threshold, actual.Threshold);
        Assert.Equal(expected.ConfusionMatrix, actual.ConfusionMatrix);
        Close.Equal(expected.Accuracy, actual.Accuracy, 1e-15, what: "accuracy");
        Close.Equal(expected.LogLoss, actual.LogLoss, 1e-12, what: "log loss");
        Close.Equal(expected.BrierScore, actual.BrierScore, 1e-12, what: "Brier score");
        Close.Equal(expected.BalancedAccuracy, actual.BalancedAccuracy, 1e-15, what: "balanced accuracy");
        Close.Equal(expected.Precision, actual.Precision, 1e-15, what: "precision");
        Close.Equal(expected.Recall, actual.Recall, 1e-15, what: "recall");
        Close.Equal(expected.F1, actual.F1, 1e-15, what: "F1");
        Assert.Equal(expected.Macro, actual.Macro);
        Assert.Equal(expected.Weighted, actual.Weighted);
        Assert.Equal(expected.PerClass!.Support, actual.PerClass!.Support);
        Assert.Equal(expected.PerClass.F1, actual.PerClass.F1);
        Assert.Null(actual.RocAuc);                                                   // ranking metrics need every score at once
        Assert.True(expected.Accuracy is > 0.9 and < 1, $"accuracy {expected.Accuracy}");
    }

    [Theory]
    [InlineData(SolverKind.Lbfgs, "Solver 'lbfgs' needs all rows in memory")]
    [InlineData(SolverKind.Newton, "Solver 'newton' needs all rows in memory")]
    public void Solvers_that_need_every_row_are_refused(SolverKind solver, string expected)
    {
        using var folder = new TempFolder();
        using var stream = CsvBatchStream.Open(WriteCsv(folder, "iris"), 8);
        Assert.Contains(expected, Assert.Throws<ArgumentException>(() => StreamingTrainer.Fit(stream, new TrainingOptions { Model = ModelKind.Softmax, Solver = solver })).Message);
    }
}
