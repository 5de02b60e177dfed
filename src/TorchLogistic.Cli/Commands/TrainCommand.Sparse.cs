using System.CommandLine;
using TorchLogistic.Data;
using TorchLogistic.IO;
using TorchLogistic.Metrics;
using TorchLogistic.Reporting;
using TorchLogistic.Training;

namespace TorchLogistic.Cli.Commands;

/// <summary>
/// <c>torchlogistic train</c> on a LIBSVM/svmlight file: the rows are held as a sparse matrix and trained through
/// sparse products (<see cref="Trainer.Fit(SparseDataset, TrainingOptions, SparseDataset?, Action{IterationRecord}?, CancellationToken, double[])"/>),
/// so memory grows with the non-zeros; --standardize scales without centring. Options that need dense rows are
/// refused with the fix before the file is read.
/// </summary>
internal static partial class TrainCommand
{
    private static readonly Option<string> Format = InputFormat.Create();

    private static bool IsSparse(ParseResult parse) => InputFormat.IsLibSvm(parse.GetValue(Data)!, parse.GetValue(Format)!);

    private static int RunSparse(ParseResult parse, CancellationToken cancellation)
    {
        string dataName = parse.GetValue(Data)!;
        string outDir = parse.GetValue(Out) ?? Path.Combine("runs", Path.GetFileNameWithoutExtension(LibSvmStem(dataName)));
        bool quiet = parse.GetValue(Quiet);
        string? testPath = parse.GetValue(TestData);
        double? testFraction = parse.GetValue(TestFraction);
        foreach (var (option, why) in new (Option, string)[]
        {
            (Label, "a LIBSVM row's label is its first token"), (SampleWeight, "LIBSVM rows carry no weight column"),
            (DataDir, "it names fashion-mnist's folder"), (InferenceSummary, "the inference table needs Newton's dense Hessian and dense rows"),
            (WarmStart, "warm starts are for dense rows"), (Epochs, "--epochs applies to --stream"), (ShuffleBuffer, "--shuffle-buffer applies to --stream"),
        })
        {
            if (Given(parse, option)) throw new ArgumentException($"{option.Name} does not apply to LIBSVM data: {why}. Drop {option.Name}.");
        }
        if (testPath != null && testFraction.HasValue)
            throw new ArgumentException("Give either --test-data (a test file) or --test-fraction (rows held out of --data), not both.");
        if (testFraction.HasValue && !(testFraction >= 0 && testFraction < 1))
            throw new ArgumentException($"--test-fraction {testFraction} must be in [0, 1); 0 trains on every row.");
        var preliminary = OptionsFrom(parse, classCount: 2);
        preliminary.Validate();
        Trainer.CheckSparseOptions(preliminary);

        // The output folder is checked before any input is read: it must not hold an input it would replace.
        using var output = OutputSet.Folder(outDir, File.Exists(dataName) ? dataName : null, testPath);
        var all = LibSvmFile.Load(dataName);
        SparseDataset train;
        SparseDataset? test;
        if (testPath != null)
        {
            train = all;
            test = LibSvmFile.Load(testPath, featureCount: all.FeatureCount, classes: all.Classes);
        }
        else
        {
            (train, test) = TrainTestSplit.SplitOptional(all, testFraction ?? 0.2, parse.GetValue(Seed));
        }
        var options = OptionsFrom(parse, train.ClassCount);
        options.Validate();
        int outputs = options.Model == ModelKind.Logistic ? 1 : train.ClassCount;
        // Work per evaluation is proportional to the non-zeros, not rows × columns.
        SetThreads(parse, train.Features.NonZeroCount, 1, outputs);
        double? threshold = ThresholdFor(parse, train.ClassCount, dataName);

        var progress = new ProgressReporter(options.MaxIterations, enabled: !quiet);
        using var model = Trainer.Fit(train, options, test, progress.Report, cancellation);
        progress.Finish();
        var result = model.Result!;
        if (result.Stop == StopReason.Diverged) return CliRunner.ReportDiverged(result);

        // Everything is computed before the first file is written, and each file is replaced atomically.
        var trainProba = model.PredictProbabilities(train).Values;
        var trainEvaluation = Evaluation.Of(train.Labels, trainProba, train.ClassCount, threshold);
        double[]? testProba = test == null ? null : model.PredictProbabilities(test).Values;
        var testEvaluation = test == null ? null : Evaluation.Of(test.Labels, testProba!, test.ClassCount, threshold);
        var shown = test ?? train;
        var report = TrainingReport.CreateStreamed(dataName, model, trainEvaluation, testEvaluation) with
        {
            Seed = parse.GetValue(Seed),
            Split = testPath != null ? "test file" : test != null ? "random, stratified" : "none",
            TestFraction = testPath != null ? null : testFraction ?? 0.2,
            Curves = TrainingReport.Curves(shown.Labels, testProba ?? trainProba, train.Classes, test != null ? "test" : "train"),
            Sparse = new SparseJson("libsvm", all.SampleCount, all.FeatureCount, all.Features.NonZeroCount, all.Density, all.Features.StorageBytes, all.DenseBytes),
        };
        byte[] modelBytes = ModelFile.ToBytes(model);
        var plots = ReportPlots.RenderStreamed(model, testEvaluation ?? trainEvaluation, test != null ? "test" : "train",
            Path.GetFileNameWithoutExtension(LibSvmStem(dataName)), parse.GetValue(LogScale));
        report = report with { PeakMemoryBytes = Performance.PeakMemory.Bytes() };
        output.WriteBytes("model.bin", modelBytes);
        output.WriteText("metrics.json", TrainingReport.ToText(report));
        foreach (var (name, png) in plots) output.WriteBytes(name, png);
        output.Commit(cancellation);

        DataWarnings.AfterTraining(options, report.Train.Accuracy);
        if (!result.Converged)
            Console.Error.WriteLine($"warning: not converged — {result.StopDescription}. Raise --max-iter, loosen --tol, or try --solver lbfgs.");
        if (!quiet) Summary.Print(TrainingReport.ToNode(report), outDir, plots.Keys);
        return 0;
    }

    /// <summary>The name without a trailing .gz, so that runs/&lt;name&gt; drops both endings.</summary>
    private static string LibSvmStem(string path) => path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? path[..^3] : path;
}
