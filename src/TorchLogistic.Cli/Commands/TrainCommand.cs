using System.CommandLine;
using System.Globalization;
using TorchLogistic.Data;
using TorchLogistic.Inference;
using TorchLogistic.IO;
using TorchLogistic.Objectives;
using TorchLogistic.Optim;
using TorchLogistic.Reporting;
using TorchLogistic.Training;
using static TorchSharp.torch;

namespace TorchLogistic.Cli.Commands;

/// <summary><c>torchlogistic train</c>: load, split, standardise, train, evaluate, and write model.bin, metrics.json and loss.png.</summary>
internal static partial class TrainCommand
{
    private static readonly Option<string> Data = new("--data")
    {
        Description = $"Built-in data set ({string.Join(", ", BuiltinDatasets.names)}) or a CSV file with a header row (with --stream also an IDX image file, its labels beside it).",
        Required = true,
    };
    private static readonly Option<string?> Label = new("--label") { Description = "Label column of a CSV (default: the last column)." };
    private static readonly Option<string?> SampleWeight = new("--sample-weight") { Description = "CSV column of per-row weights multiplying each row's loss." };
    private static readonly Option<double?> TestFraction = new("--test-fraction") { Description = "Share of rows held out for testing, in [0, 1); 0 trains on every row (default 0.2; fashion-mnist uses its official split)." };
    private static readonly Option<string?> DataDir = new("--data-dir") { Description = $"Folder of fashion-mnist's IDX files (default {FashionMnist.default_directory})." };
    private static readonly Option<int> Seed = new("--seed") { Description = "Seed of the train/test split and of sgd's shuffles.", DefaultValueFactory = _ => 0 };
    private static readonly Option<bool> Standardize = new("--standardize") { Description = "Standardise features with the training rows' mean and standard deviation." };
    private static readonly Option<string> Model = new("--model") { Description = "logistic (2 classes), softmax, ovr (one-vs-rest), or auto: logistic for 2 classes, softmax for more.", DefaultValueFactory = _ => "auto" };
    private static readonly Option<string> PenaltyName = new("--penalty") { Description = $"none, l2, l1 or elasticnet (l1 and elasticnet with {string.Join(", ", SolverRegistry.l1_names)}).", DefaultValueFactory = _ => "l2" };
    private static readonly Option<double> L1Ratio = new("--l1-ratio") { Description = "Elastic-net mixing ρ in [0, 1]: P = ρ‖W‖₁ + (1 − ρ)·½‖W‖².", DefaultValueFactory = _ => 0.5 };
    private static readonly Option<double> C = new("--C") { Description = "Inverse regularisation strength (> 0); the penalty is P(W)/(C·m).", DefaultValueFactory = _ => SolverDefaults.C };
    private static readonly Option<string> SolverName = new("--solver") { Description = $"Solver: {SolverRegistry.auto_name}, {string.Join(", ", SolverRegistry.names)} (auto: owlqn with L1, else lbfgs-precond up to {SolverRegistry.preconditioned_max_columns - 1} features, else lbfgs).", DefaultValueFactory = _ => SolverRegistry.auto_name };
    private static readonly Option<double?> Lr = new("--lr") { Description = $"Step size of gd, base step of adagrad, initial step of sgd (default {SolverDefaults.learning_rate}, {SolverDefaults.stochastic_learning_rate} for adagrad and sgd)." };
    private static readonly Option<int> BatchSize = new("--batch-size") { Description = "Rows per mini-batch of sgd.", DefaultValueFactory = _ => SolverDefaults.batch_size };
    private static readonly Option<string?> WarmStart = new("--warm-start") { Description = "Start from the parameters of a saved model.bin (same features, classes, model and --poly-degree)." };
    private static readonly Option<int> PolyDegree = new("--poly-degree") { Description = "Expand the features into all monomials up to this degree, interactions included, before standardising (1: none).", DefaultValueFactory = _ => 1 };
    private static readonly Option<int> MaxIter = new("--max-iter") { Description = "Iteration limit.", DefaultValueFactory = _ => SolverDefaults.max_iter };
    private static readonly Option<double> Tol = new("--tol") { Description = "Stop when the gradient's largest absolute entry (with L1: of the prox-gradient mapping) is at most this.", DefaultValueFactory = _ => SolverDefaults.tol };
    private static readonly Option<int?> History = new("--history") { Description = $"L-BFGS and OWL-QN memory (correction pairs; default {SolverDefaults.history_size}, {SolverDefaults.preconditioned_history_size} for lbfgs-precond)." };
    private static readonly Option<string> Dtype = new("--dtype") { Description = "float64 or float32.", DefaultValueFactory = _ => "float64" };
    private static readonly Option<string> Gradients = new("--gradients") { Description = "analytic (closed form) or autograd.", DefaultValueFactory = _ => "analytic" };
    private static readonly Option<string?> ClassWeight = new("--class-weight") { Description = "balanced (n/(K·n_k); for ovr each member's own binary balance) or explicit weights w0,w1,..." };
    private static readonly Option<double> LabelSmoothing = new("--label-smoothing") { Description = "Train on targets (1 − ε)·onehot + ε/K, as PyTorch's CrossEntropyLoss; ε in [0, 1).", DefaultValueFactory = _ => 0.0 };
    private static readonly Option<bool> LogScale = new("--log-scale") { Description = "Draw loss.png with a logarithmic loss axis." };
    private static readonly Option<string?> Out = new("--out") { Description = "Output folder for model.bin, metrics.json and loss.png (default runs/<data>)." };
    private static readonly Option<int> Threads = new("--threads") { Description = "libtorch threads (0: automatic — 1 for small problems, which also makes runs bit-reproducible; every core from 10⁷ multiply-adds per evaluation).", DefaultValueFactory = _ => 0 };
    private static readonly Option<bool> Quiet = new("--quiet") { Description = "No progress display and no summary." };
    private static readonly Option<double?> Threshold = new("--threshold") { Description = "Binary models: predict the second class when its probability is at least this, for the metrics and confusion matrix (default 0.5)." };
    private static readonly Option<bool> InferenceSummary = new("--summary")
    {
        Description = "Print a statsmodels-style inference table (coefficients, standard errors, z, p-values, 95% intervals, odds ratios, pseudo-R²) of the training fit and save it as summary.txt; separated data gets an explanation instead.",
    };

    public static Command create()
    {
        var command = new Command("train", "Train a logistic or softmax regression model and write model.bin, metrics.json and loss.png.")
        {
            Data, Label, SampleWeight, TestFraction, DataDir, Seed, Standardize, Model, PenaltyName, L1Ratio, C, SolverName, Lr, BatchSize, MaxIter, Tol,
            History, Dtype, Gradients, ClassWeight, LabelSmoothing, WarmStart, PolyDegree, LogScale, Out, Quiet, Threshold, InferenceSummary, Threads,
            Stream, Epochs, TestData, ShuffleBuffer,
        };
        command.SetAction((parse, cancellation) => Task.FromResult(run(parse, cancellation)));
        return command;
    }

    private static int run(ParseResult parse, CancellationToken cancellation)
    {
        if (parse.GetValue(Stream)) return run_streaming(parse, cancellation);
        reject_streaming_options(parse);
        string dataName = parse.GetValue(Data)!;
        string outDir = parse.GetValue(Out) ?? Path.Combine("runs", Path.GetFileNameWithoutExtension(dataName));
        bool quiet = parse.GetValue(Quiet);
        double? testFraction = parse.GetValue(TestFraction);
        if (testFraction.HasValue && !(testFraction >= 0 && testFraction < 1))
            throw new ArgumentException($"--test-fraction {testFraction} must be in [0, 1); 0 trains on every row.");

        // The output folder is checked before any input is read: it must not hold an input it would replace.
        using var output = OutputSet.folder(outDir, File.Exists(dataName) ? dataName : null, parse.GetValue(WarmStart));
        var (train, test) = Datasets.load_split(dataName, testFraction, parse.GetValue(Seed), parse.GetValue(Label), parse.GetValue(SampleWeight),
            parse.GetValue(DataDir));
        var options = options_from(parse, train.n_classes);
        options.validate();
        DataWarnings.before_training(train, options, parse.GetValue(Label));
        int outputs = options.model == ModelKind.Logistic ? 1 : train.n_classes;
        set_threads(parse, train.n_samples, train.n_features * Math.Max(1, options.poly_degree), outputs);
        if (parse.GetValue(InferenceSummary))
        {
            long expanded = options.poly_degree > 1 ? new PolynomialFeatures(train.n_features, options.poly_degree).n_output_features : train.n_features;
            MemoryBudget.check_square("--summary needs a dense Hessian", (long)outputs * (expanded + 1), 8, 3, "Drop --summary, or use fewer features or a lower --poly-degree.");
        }
        double? threshold = threshold_for(parse, train.n_classes, dataName);
        string? warmStartPath = parse.GetValue(WarmStart);
        using var warmStart = warmStartPath == null ? null : ModelFile.load(warmStartPath);

        var progress = new ProgressReporter(options.max_iter, enabled: !quiet);
        using var model = Trainer.fit(train, options, test, progress.report, cancellation, warm_start: warmStart);
        progress.finish();
        var result = model.result!;
        if (result.stop == StopReason.Diverged) return CliRunner.diverged(result);

        // Everything is computed before the first file is written, and each file is replaced atomically.
        bool official = BuiltinDatasets.has_official_split(dataName);
        var report = TrainingReport.create(dataName, model, train, test, threshold) with
        {
            seed = parse.GetValue(Seed),
            split = official ? "official" : "random, stratified",
            test_fraction = official ? (double)(test?.n_samples ?? 0) / (train.n_samples + (test?.n_samples ?? 0)) : testFraction ?? 0.2,
        };
        string? summaryText = null;
        if (parse.GetValue(InferenceSummary))
        {
            var inference = LogitInference.of(model, train);
            summaryText = inference.refusal is { } refusal ? FlagNames.to_flags(refusal.message) + Environment.NewLine : inference.result.Summary();
            report = report with { inference = InferenceReport.to_json(inference) };
        }
        byte[] modelBytes = ModelFile.to_bytes(model);
        var plots = ReportPlots.render(model, test ?? train, test != null ? "test" : "train", Path.GetFileNameWithoutExtension(dataName), threshold, parse.GetValue(LogScale));
        report = report with { peak_memory_bytes = Performance.PeakMemory.bytes() };
        output.write_bytes("model.bin", modelBytes);
        output.write_text("metrics.json", TrainingReport.to_text(report));
        foreach (var (name, png) in plots) output.write_bytes(name, png);
        if (summaryText != null) output.write_text("summary.txt", summaryText);
        output.commit(cancellation);

        DataWarnings.after_training(options, report.train.accuracy);
        if (!result.converged)
            Console.Error.WriteLine($"warning: not converged — {result.stop_reason}. Raise --max-iter, loosen --tol, or try --solver lbfgs.");
        if (!quiet) Summary.print(TrainingReport.to_node(report), outDir, plots.Keys.Append(summaryText != null ? "summary.txt" : null).OfType<string>());
        if (summaryText != null && !quiet)
        {
            Console.WriteLine();
            Console.Write(summaryText);
        }
        return 0;
    }

    /// <summary>Sets libtorch's thread count: --threads, or the automatic choice for the problem's size.</summary>
    private static void set_threads(ParseResult parse, long rows, long features, long outputs)
    {
        int threads = ThreadCount.check(parse.GetValue(Threads), minimum: 0);
        TorchSharp.torch.set_num_threads(threads > 0 ? threads : ThreadPolicy.choose(rows, features, outputs));
    }

    /// <summary>The checked --threshold, or null.</summary>
    private static double? threshold_for(ParseResult parse, int n_classes, string dataName)
    {
        double? threshold = parse.GetValue(Threshold);
        if (threshold.HasValue && !(threshold > 0 && threshold < 1))
            throw new ArgumentException($"--threshold {threshold} must be in (0, 1).");
        if (threshold.HasValue && n_classes != 2)
            throw new ArgumentException($"--threshold applies to binary problems; '{dataName}' has {n_classes} classes. Leave --threshold out.");
        return threshold;
    }

    private static TrainingOptions options_from(ParseResult parse, int n_classes, SolverKind? solver_kind = null)
    {
        string model = parse.GetValue(Model)!;
        var kind = model switch
        {
            "auto" => n_classes == 2 ? ModelKind.Logistic : ModelKind.Softmax,
            "logistic" => ModelKind.Logistic,
            "softmax" => ModelKind.Softmax,
            "ovr" => ModelKind.OneVsRest,
            _ => throw new ArgumentException($"Unknown --model '{model}'. Use logistic, softmax, ovr or auto."),
        };
        string dtype = parse.GetValue(Dtype)!;
        string gradients = parse.GetValue(Gradients)!;
        string? classWeight = parse.GetValue(ClassWeight);
        double[]? classWeightValues = null;
        var classWeightMode = classWeight switch { null => ClassWeightMode.None, "balanced" => ClassWeightMode.Balanced, _ => ClassWeightMode.Explicit };
        if (classWeightMode == ClassWeightMode.Explicit)
        {
            classWeightValues = classWeight!.Split(',').Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double w)
                ? w : throw new ArgumentException($"--class-weight '{classWeight}': '{v}' is not a number. Use balanced or w0,w1,... (one weight per class).")).ToArray();
        }
        var solver = solver_kind ?? SolverRegistry.parse(parse.GetValue(SolverName)!);
        return new TrainingOptions
        {
            model = kind,
            penalty = Penalty.parse_kind(parse.GetValue(PenaltyName)!),
            C = parse.GetValue(C),
            l1_ratio = parse.GetValue(L1Ratio),
            solver = solver,
            lr = parse.GetValue(Lr) ?? SolverDefaults.learning_rate_for(solver),
            batch_size = parse.GetValue(BatchSize),
            seed = parse.GetValue(Seed),
            poly_degree = parse.GetValue(PolyDegree),
            max_iter = parse.GetValue(MaxIter),
            tol = parse.GetValue(Tol),
            history_size = parse.GetValue(History) is int h ? (h >= 1 ? h : throw new ArgumentException($"history_size = {h} must be ≥ 1 (try 10).")) : 0,
            standardize = parse.GetValue(Standardize),
            dtype = dtype switch
            {
                "float64" => ScalarType.Float64,
                "float32" => ScalarType.Float32,
                _ => throw new ArgumentException($"Unknown --dtype '{dtype}'. Use float64 or float32."),
            },
            gradients = gradients switch
            {
                "analytic" => GradientMode.Analytic,
                "autograd" => GradientMode.Autograd,
                _ => throw new ArgumentException($"Unknown --gradients '{gradients}'. Use analytic or autograd."),
            },
            class_weight = classWeightMode,
            class_weight_values = classWeightValues,
            label_smoothing = parse.GetValue(LabelSmoothing),
        };
    }
}
