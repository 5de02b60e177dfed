using System.CommandLine;
using TorchLogistic.Data;
using TorchLogistic.Export;
using TorchLogistic.IO;
using TorchLogistic.Metrics;
using TorchLogistic.Objectives;
using TorchLogistic.Optim;
using TorchLogistic.Reporting;
using TorchLogistic.Training;

namespace TorchLogistic.Cli.Commands;

/// <summary>
/// <c>torchlogistic train --stream</c>: training on mini-batches read from the data files, so that memory does not grow
/// with the number of rows. Options that need every row in memory are refused with the fix, before any file is read.
/// </summary>
internal static partial class TrainCommand
{
    private static readonly Option<bool> Stream = new("--stream")
    {
        Description = "Read mini-batches (--batch-size) from the files instead of loading every row: memory does not grow with the number of rows. " +
            "Trains with sgd or adagrad (auto: sgd, adagrad for L1) for --epochs passes; fashion-mnist, a CSV file, a LIBSVM file (each batch's rows dense), or an IDX image file with its labels beside it.",
    };
    private static readonly Option<int> Epochs = new("--epochs") { Description = "With --stream: passes over the training rows.", DefaultValueFactory = _ => 5 };
    private static readonly Option<string?> TestData = new("--test-data")
    {
        Description = "A labelled test file scored instead of a random split (exclusive with --test-fraction): a CSV with the training data's columns and labels " +
            "(with --stream a file of the same kind as --data; fashion-mnist streams its t10k files).",
    };
    private static readonly Option<int> ShuffleBuffer = new("--shuffle-buffer")
    {
        Description = "With --stream: rows of a shuffle buffer (seeded by --seed) that mixes each epoch's order; 0 reads the file in order.",
        DefaultValueFactory = _ => 0,
    };

    private static int RunStreaming(ParseResult parse, CancellationToken cancellation)
    {
        string dataName = parse.GetValue(Data)!;
        bool libSvm = IsSparse(parse);
        string outDir = parse.GetValue(Out) ?? Path.Combine("runs", Path.GetFileNameWithoutExtension(LibSvmStem(dataName)));
        bool quiet = parse.GetValue(Quiet);
        int epochs = parse.GetValue(Epochs);
        int shuffleBuffer = parse.GetValue(ShuffleBuffer);
        if (Given(parse, TestFraction))
            throw new ArgumentException("--test-fraction splits rows held in memory; with --stream, name a test file with --test-data (fashion-mnist streams its t10k files).");
        if (Given(parse, MaxIter))
            throw new ArgumentException("With --stream, training makes --epochs passes over the data; use --epochs instead of --max-iter.");
        if (parse.GetValue(InferenceSummary) || Given(parse, Cov) || Given(parse, Groups) || Given(parse, Margeff) || Given(parse, WaldTests) || parse.GetValue(ProfileCi))
            throw new ArgumentException("--summary refits with Newton's method on every row in memory (so do --cov, --groups, --margeff, --test and --profile-ci); drop them, or drop --stream.");
        RejectTabularFlagsWhenStreaming(parse);
        if (libSvm)
        {
            foreach (var (option, why) in new (Option, string)[] { (Label, "a LIBSVM row's label is its first token"), (SampleWeight, "LIBSVM rows carry no weight column") })
            {
                if (Given(parse, option)) throw new ArgumentException($"{option.Name} does not apply to LIBSVM data: {why}. Drop {option.Name}.");
            }
        }
        if (epochs < 1) throw new ArgumentException($"--epochs {epochs} must be ≥ 1.");
        if (shuffleBuffer < 0) throw new ArgumentException($"--shuffle-buffer {shuffleBuffer} must be ≥ 0 rows (0 reads the file in order).");
        var solver = StreamingTrainer.Resolve(SolverRegistry.Parse(parse.GetValue(SolverName)!), Penalty.ParseKind(parse.GetValue(PenaltyName)!));
        // Everything the options alone can refuse is refused before the (possibly long) opening pass over the files.
        var preliminary = OptionsFrom(parse, classCount: 0, solver) with { MaxIterations = epochs };
        preliminary.Validate();
        StreamingTrainer.CheckOptions(preliminary);

        // The output folder is checked before any input is read: it must not hold an input it would replace.
        using var output = OutputSet.Folder(outDir, File.Exists(dataName) ? dataName : null, parse.GetValue(TestData), parse.GetValue(WarmStart));
        var (train, test) = DataStreams.Open(dataName, preliminary.BatchSize, parse.GetValue(TestData), parse.GetValue(Label), parse.GetValue(SampleWeight),
            parse.GetValue(DataDir), shuffleBuffer, parse.GetValue(Seed), libSvm);
        using var trainStream = train;
        using var testStream = test;
        var options = OptionsFrom(parse, train.Classes.Length, solver) with { MaxIterations = epochs };
        options.Validate();
        int outputs = options.Model == ModelKind.Logistic ? 1 : train.Classes.Length;
        SetThreads(parse, train.BatchSize, train.FeatureCount, outputs);
        double? threshold = ThresholdFor(parse, train.Classes.Length, dataName);
        string? warmStartPath = parse.GetValue(WarmStart);
        using var warmStart = warmStartPath == null ? null : ModelExport.Load(warmStartPath);

        var progress = new ProgressReporter(options.MaxIterations, enabled: !quiet);
        using var model = StreamingTrainer.Fit(train, options, test, progress.Report, cancellation, warmStart);
        progress.Finish();
        var result = model.Result!;
        if (result.Stop == StopReason.Diverged) return CliRunner.ReportDiverged(result);
        var trainEvaluation = StreamingEvaluation.Of(model, train, threshold);
        var testEvaluation = test == null ? null : StreamingEvaluation.Of(model, test, threshold);

        // Everything is computed before the first file is written, and each file is replaced atomically.
        var report = TrainingReport.CreateStreamed(dataName, model, trainEvaluation, testEvaluation) with
        {
            Seed = parse.GetValue(Seed),
            Split = dataName == FashionMnist.Name ? "official" : test != null ? "test file" : "none",
            Streaming = new StreamingJson(train.BatchSize, epochs, train.BatchCount,
                shuffleBuffer > 0 ? $"shuffle buffer of {shuffleBuffer} rows, seed {parse.GetValue(Seed)}" : "file order", parse.GetValue(TestData)),
        };
        byte[] modelBytes = ModelFile.ToBytes(model);
        var plots = ReportPlots.RenderStreamed(model, testEvaluation ?? trainEvaluation, test != null ? "test" : "train",
            Path.GetFileNameWithoutExtension(LibSvmStem(dataName)), parse.GetValue(LogScale));
        report = report with { PeakMemoryBytes = Performance.PeakMemory.Bytes() };
        output.WriteBytes("model.bin", modelBytes);
        output.WriteText("metrics.json", TrainingReport.ToText(report));
        foreach (var (name, png) in plots) output.WriteBytes(name, png);
        output.Commit(cancellation);

        if (!result.Converged && !quiet)
            Console.Error.WriteLine($"note: {result.StopDescription} after {epochs} epochs (stochastic methods rarely reach --tol; more --epochs gets closer).");
        if (!quiet) Summary.Print(TrainingReport.ToNode(report), outDir, plots.Keys);
        return 0;
    }

    /// <summary>Refuses the streaming options without --stream, naming the fix.</summary>
    private static void RejectStreamingOptions(ParseResult parse)
    {
        if (Given(parse, Epochs))
            throw new ArgumentException("--epochs applies to --stream; in memory, sgd's epochs are its iterations (--max-iter).");
        if (Given(parse, ShuffleBuffer))
            throw new ArgumentException("--shuffle-buffer applies to --stream; in memory, sgd shuffles every epoch (seeded by --seed).");
    }

    /// <summary>Whether the user gave <paramref name="option"/> on the command line (not just its default).</summary>
    private static bool Given(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };
}
