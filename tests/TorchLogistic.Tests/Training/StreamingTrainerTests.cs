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
        var data = BuiltinDatasets.load(name);
        var lines = new List<string> { string.Join(",", data.feature_names.Concat(weights ? new[] { "w" } : Array.Empty<string>()).Append("label")) };
        for (int i = 0; i < data.n_samples; i++)
        {
            var cells = Enumerable.Range(0, data.n_features).Select(j => data[i, j].ToString("R", C));
            if (weights) cells = cells.Append((1 + i % 3).ToString(C));
            lines.Add(string.Join(",", cells.Append(data.classes[data.labels[i]])));
        }
        string path = folder.file($"{name}.csv");
        File.WriteAllLines(path, lines);
        return path;
    }

    /// <summary>The in-memory objective of the CSV's rows, standardised with <see cref="StandardScaler.fit"/> when asked.</summary>
    private static LinearModelObjective InMemory(Dataset data, TrainingOptions options, int k)
    {
        var scaler = options.standardize ? StandardScaler.fit(data) : null;
        var rows = scaler?.transform(data) ?? data;
        double[]? s = SampleWeights.combine(data.labels, data.sample_weight, Trainer.class_weights(data, options));
        using var scope = NewDisposeScope();
        return new LinearModelObjective(rows.features_tensor(), rows.labels_tensor(), k, options.penalty_object,
            s == null ? null : tensor(s, ScalarType.Float64), options.label_smoothing);
    }

    public static TheoryData<string, bool, TrainingOptions> SgdCases => new()
    {
        // Binary, L2 (schedule lr/(1 + lr·λ₂·t)), standardised, sample and balanced class weights, a last batch of 569 mod 7 = 2 rows.
        { "breast-cancer", true, new TrainingOptions { solver = SolverKind.Sgd, lr = 0.2, batch_size = 7, max_iter = 3, standardize = true, class_weight = ClassWeightMode.Balanced, tol = 1e-300 } },
        // Softmax without penalty (schedule lr/√(1 + t/n_batches)), label smoothing, raw features.
        { "iris", false, new TrainingOptions { model = ModelKind.Softmax, penalty = PenaltyKind.None, solver = SolverKind.Sgd, lr = 0.05, batch_size = 16, max_iter = 4, label_smoothing = 0.1, tol = 1e-300 } },
    };

    [Theory]
    [MemberData(nameof(SgdCases))]
    public void Streamed_sgd_takes_the_steps_of_in_memory_sgd_over_batches_in_the_same_order(string name, bool weights, TrainingOptions options)
    {
        using var folder = new TempFolder();
        string path = WriteCsv(folder, name, weights);
        string? w = weights ? "w" : null;
        var data = CsvDataset.load(path, sample_weight: w);
        int k = options.model == ModelKind.Logistic ? 1 : data.n_classes;

        using var objective = InMemory(data, options, k);
        var expected = TrainingLoop.run(objective, new StochasticGradientDescent(options.lr, options.batch_size, shuffle: false), new double[objective.n_parameters],
            options.max_iter, options.tol);

        using var stream = CsvBatchStream.open(path, options.batch_size, sample_weight: w);
        using var model = StreamingTrainer.fit(stream, options);
        var actual = model.result!;
        double error = Close.relative_error(actual.theta, expected.theta);
        Assert.True(error <= 1e-10, $"θ differs by {error:E2} relative");
        Assert.True(Close.relative_error(actual.theta, new double[actual.theta.Length]) > 0.1, "training moved θ");
        Assert.Equal(expected.history.Count, actual.history.Count);
        foreach (var (e, a) in expected.history.Zip(actual.history))
        {
            Close.Equal(e.objective, a.objective, 1e-12, what: $"objective at epoch {e.iteration}");
            Close.Equal(e.criterion, a.criterion, 1e-9, 1e-15, what: $"criterion at epoch {e.iteration}");
        }
    }

    [Fact]
    public void Streamed_adagrad_is_the_mini_batch_adagrad_of_the_paper_with_its_proximal_step()
    {
        using var folder = new TempFolder();
        string path = WriteCsv(folder, "breast-cancer");
        var options = new TrainingOptions
        {
            solver = SolverKind.Adagrad, lr = 0.3, batch_size = 50, max_iter = 2, standardize = true, penalty = PenaltyKind.ElasticNet, l1_ratio = 0.5, C = 0.05, tol = 1e-300,
        };
        var data = CsvDataset.load(path);
        using var objective = InMemory(data, options, 1);

        // The reference, written from Duchi, Hazan & Singer (2011): per batch B in file order, G += g_B², η = lr/(√G + 1e-10),
        // θ ← θ − η·g_B, then soft-thresholding by η·λ₁ for the coefficients (λ₁ = ρ/(C·m)).
        int n = objective.n_parameters, m = data.n_samples;
        double l1 = 0.5 / (0.05 * m);
        var theta = new double[n];
        var accumulated = new double[n];
        var g = new double[n];
        for (int epoch = 0; epoch < options.max_iter; epoch++)
        {
            for (int start = 0; start < m; start += options.batch_size)
            {
                var rows = Enumerable.Range(start, Math.Min(options.batch_size, m - start)).Select(i => (long)i).ToArray();
                objective.value_and_gradient(theta, g, rows);
                for (int j = 0; j < n; j++)
                {
                    accumulated[j] += g[j] * g[j];
                    double eta = 0.3 / (Math.Sqrt(accumulated[j]) + 1e-10);
                    double v = theta[j] - eta * g[j];
                    theta[j] = j < n - 1 ? Math.Sign(v) * Math.Max(Math.Abs(v) - eta * l1, 0) : v;
                }
            }
        }

        using var stream = CsvBatchStream.open(path, options.batch_size);
        using var model = StreamingTrainer.fit(stream, options);
        double error = Close.relative_error(model.result!.theta, theta);
        Assert.True(error <= 1e-10, $"θ differs by {error:E2} relative");
        Assert.Contains(0.0, theta.Take(n - 1));                                       // the L1 part made exact zeros, and the stream made the same
        Assert.Equal(theta.Take(n - 1).Count(v => v == 0), model.result.theta.Take(n - 1).Count(v => v == 0));
    }

    [Fact]
    public void A_full_pass_of_the_streaming_objective_is_the_in_memory_objective()
    {
        using var folder = new TempFolder();
        string path = WriteCsv(folder, "iris", weights: true);
        var options = new TrainingOptions { model = ModelKind.Softmax, C = 0.7, standardize = true, class_weight = ClassWeightMode.Explicit, class_weight_values = new[] { 1.0, 2.0, 0.5 }, label_smoothing = 0.05 };
        var data = CsvDataset.load(path, sample_weight: "w");
        using var memory = InMemory(data, options, 3);
        using var stream = CsvBatchStream.open(path, 9, sample_weight: "w");
        using var streamed = new StreamingObjective(stream, 3, options.penalty_object, stream.fit_scaler(), options.class_weight_values, options.label_smoothing);
        Assert.Equal(memory.n_parameters, streamed.n_parameters);
        Assert.Equal(memory.l2_strength, streamed.l2_strength);
        var random = new Random(4);
        var theta = Enumerable.Range(0, memory.n_parameters).Select(_ => random.NextDouble() - 0.5).ToArray();
        var expected = new double[theta.Length];
        var actual = new double[theta.Length];
        double f = memory.value_and_gradient(theta, expected);
        Close.Equal(f, streamed.value_and_gradient(theta, actual), 1e-12, what: "F");
        Close.All(expected, actual, 1e-11, 1e-14, what: "∇F");
        Assert.False(streamed.is_hessian_supported);
        Assert.Contains("sgd or adagrad", Assert.Throws<NotSupportedException>(() => streamed.hessian(theta)).Message);
    }

    [Theory]
    [InlineData("breast-cancer", 0.3)]
    [InlineData("iris", null)]
    public void The_evaluation_pass_gives_the_in_memory_metrics(string name, double? threshold)
    {
        using var folder = new TempFolder();
        string path = WriteCsv(folder, name);
        var data = CsvDataset.load(path);
        using var model = Trainer.fit(data, new TrainingOptions { model = data.n_classes == 2 ? ModelKind.Logistic : ModelKind.Softmax, standardize = true, max_iter = 30 });
        var expected = Evaluation.of(model, data, threshold);
        using var stream = CsvBatchStream.open(path, 13);
        var actual = StreamingEvaluation.of(model, stream, threshold);

        Assert.Equal(expected.n_samples, actual.n_samples);
        Assert.Equal(expected.threshold, actual.threshold);
        Assert.Equal(expected.confusion_matrix, actual.confusion_matrix);
        Close.Equal(expected.accuracy, actual.accuracy, 1e-15, what: "accuracy");
        Close.Equal(expected.log_loss, actual.log_loss, 1e-12, what: "log loss");
        Close.Equal(expected.brier_score, actual.brier_score, 1e-12, what: "Brier score");
        Close.Equal(expected.balanced_accuracy, actual.balanced_accuracy, 1e-15, what: "balanced accuracy");
        Close.Equal(expected.precision, actual.precision, 1e-15, what: "precision");
        Close.Equal(expected.recall, actual.recall, 1e-15, what: "recall");
        Close.Equal(expected.f1, actual.f1, 1e-15, what: "F1");
        Assert.Equal(expected.macro, actual.macro);
        Assert.Equal(expected.weighted, actual.weighted);
        Assert.Equal(expected.per_class!.support, actual.per_class!.support);
        Assert.Equal(expected.per_class.f1, actual.per_class.f1);
        Assert.Null(actual.roc_auc);                                                   // ranking metrics need every score at once
        Assert.True(expected.accuracy is > 0.9 and < 1, $"accuracy {expected.accuracy}");
    }

    [Theory]
    [InlineData(SolverKind.Lbfgs, "Solver 'lbfgs' needs all rows in memory")]
    [InlineData(SolverKind.Newton, "Solver 'newton' needs all rows in memory")]
    public void Solvers_that_need_every_row_are_refused(SolverKind solver, string expected)
    {
        using var folder = new TempFolder();
        using var stream = CsvBatchStream.open(WriteCsv(folder, "iris"), 8);
        Assert.Contains(expected, Assert.Throws<ArgumentException>(() => StreamingTrainer.fit(stream, new TrainingOptions { model = ModelKind.Softmax, solver = solver })).Message);
    }
}
