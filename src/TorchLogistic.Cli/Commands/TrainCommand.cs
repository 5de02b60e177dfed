using System.CommandLine;
using System.Globalization;
using TorchLogistic.Data;
using TorchLogistic.Export;
using TorchLogistic.Inference;
using TorchLogistic.IO;
using TorchLogistic.Objectives;
using TorchLogistic.Optim;
using TorchLogistic.Reporting;
using TorchLogistic.Selection;
using TorchLogistic.Training;
using static TorchSharp.torch;

namespace TorchLogistic.Cli.Commands;

/// <summary><c>torchlogistic train</c>: load, split, standardise, train, evaluate, and write model.bin, metrics.json and loss.png.</summary>
internal static partial class TrainCommand
{
    private static readonly Option<string> Data = new("--data")
    {
        Description = $"Built-in data set ({string.Join(", ", BuiltinDatasets.Names)}), a CSV file with a header row, or a LIBSVM/svmlight file (.svm, .libsvm, .svmlight, also .gz, or --format libsvm; held sparse) (with --stream also an IDX image file, its labels beside it).",
        Required = true,
    };
    private static readonly Option<string?> Label = new("--label") { Description = "Label column of a CSV (default: the last column)." };
    private static readonly Option<string?> SampleWeight = new("--sample-weight") { Description = "CSV column of per-row weights multiplying each row's loss." };
    private static readonly Option<double?> TestFraction = new("--test-fraction") { Description = "Share of rows held out for testing, in [0, 1); 0 trains on every row (default 0.2; fashion-mnist uses its official split)." };
    private static readonly Option<string?> DataDir = new("--data-dir") { Description = $"Folder of fashion-mnist's IDX files (default {FashionMnist.DefaultDirectory})." };
    private static readonly Option<int> Seed = new("--seed") { Description = "Seed of the train/test split and of sgd's shuffles.", DefaultValueFactory = _ => 0 };
    private static readonly Option<bool> Standardize = new("--standardize") { Description = "Standardise features with the training rows' mean and standard deviation." };
    private static readonly Option<bool> NoIntercept = new("--no-intercept")
    {
        Description = "Fit no intercept (logits X·Wᵀ, as scikit-learn's fit_intercept=False and LIBLINEAR's default); with --standardize the features are still centred.",
    };
    private static readonly Option<string> Model = new("--model") { Description = "logistic (2 classes), softmax, ovr (one-vs-rest), or auto: logistic for 2 classes, softmax for more.", DefaultValueFactory = _ => "auto" };
    private static readonly Option<string> PenaltyName = new("--penalty") { Description = $"none, l2, l1, elasticnet (l1 and elasticnet with {string.Join(", ", SolverRegistry.L1Names)}) or firth (Firth's penalised likelihood, binary models: finite estimates under separation).", DefaultValueFactory = _ => "l2" };
    private static readonly Option<double> L1Ratio = new("--l1-ratio") { Description = "Elastic-net mixing ρ in [0, 1]: P = ρ‖W‖₁ + (1 − ρ)·½‖W‖².", DefaultValueFactory = _ => 0.5 };
    private static readonly Option<double> C = new("--C") { Description = "Inverse regularisation strength (> 0); the penalty is P(W)/(C·m).", DefaultValueFactory = _ => SolverDefaults.C };
    private static readonly Option<string> SolverName = new("--solver") { Description = $"Solver: {SolverRegistry.AutoName}, {string.Join(", ", SolverRegistry.Names)} (auto: owlqn with L1, else lbfgs-precond up to {SolverRegistry.PreconditionedMaxColumns - 1} features, else lbfgs).", DefaultValueFactory = _ => SolverRegistry.AutoName };
    private static readonly Option<double?> Lr = new("--lr") { Description = $"Step size of gd, base step of adagrad, initial step of sgd (default {SolverDefaults.LearningRate}, {SolverDefaults.StochasticLearningRate} for adagrad and sgd)." };
    private static readonly Option<int> BatchSize = new("--batch-size") { Description = "Rows per mini-batch of sgd.", DefaultValueFactory = _ => SolverDefaults.BatchSize };
    private static readonly Option<string?> WarmStart = new("--warm-start") { Description = "Start from the parameters of a saved model.bin, or of a PyTorch state_dict model.pt with its model.json (torchlogistic export --format pt); same features, classes, model and --poly-degree." };
    private static readonly Option<int> PolyDegree = new("--poly-degree") { Description = "Expand the features into all monomials up to this degree, interactions included, before standardising (1: none).", DefaultValueFactory = _ => 1 };
    private static readonly Option<int> MaxIter = new("--max-iter") { Description = "Iteration limit.", DefaultValueFactory = _ => SolverDefaults.MaxIterations };
    private static readonly Option<double> Tol = new("--tol") { Description = "Stop when the gradient's largest absolute entry (with L1: of the prox-gradient mapping) is at most this.", DefaultValueFactory = _ => SolverDefaults.Tolerance };
    private static readonly Option<int?> History = new("--history") { Description = $"L-BFGS and OWL-QN memory (correction pairs; default {SolverDefaults.HistorySize}, {SolverDefaults.PreconditionedHistorySize} for lbfgs-precond)." };
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

    public static Command Create() => Create("train", "Train a logistic or softmax regression model and write model.bin, metrics.json and loss.png.");

    private static Command Create(string name, string description)
    {
        var command = new Command(name, description)
        {
            Data, Label, SampleWeight, TestFraction, DataDir, Seed, Standardize, NoIntercept, Model, PenaltyName, L1Ratio, C, SolverName, Lr, BatchSize, MaxIter, Tol,
            History, Dtype, Gradients, ClassWeight, LabelSmoothing, WarmStart, PolyDegree, LogScale, Out, Quiet, Threshold, InferenceSummary, Threads,
            Stream, Epochs, TestData, ShuffleBuffer, Format, DistributedOption, CheckpointEvery, Resume, Cov, Groups, Margeff, MargeffMethod, MargeffDiscrete, WaldTests, ProfileCi,
        };
        foreach (var option in TabularFlags) command.Options.Add(option);
        foreach (var option in CrossValidationOptionList) command.Options.Add(option);
        command.SetAction((parse, cancellation) => Task.FromResult(Run(parse, cancellation)));
        return command;
    }

    private static int Run(ParseResult parse, CancellationToken cancellation)
    {
        if (IsFirth(parse) && (parse.GetValue(DistributedOption) || parse.GetValue(Stream) || IsSparse(parse)))
            throw new ArgumentException("--penalty firth fits dense rows in memory in one process; drop --distributed, --stream or the LIBSVM file (use a CSV).");
        if (parse.GetValue(DistributedOption)) return RunDistributed(parse, cancellation);
        RejectDistributedOptions(parse);
        bool crossValidating = Given(parse, Cv) || parse.CommandResult.Command.Name == "cv";
        if (Given(parse, Calibrate) && !crossValidating)
            throw new ArgumentException("--calibrate fits on out-of-fold predictions and needs folds: add --cv K (e.g. --cv 5), or use the cv command.");
        if (parse.GetValue(Stream))
        {
            if (crossValidating)
                throw new ArgumentException("Cross-validation needs the rows in memory; drop --stream (or --cv).");
            return RunStreaming(parse, cancellation);
        }
        if (IsSparse(parse))
        {
            if (crossValidating)
                throw new ArgumentException("Cross-validation reads dense CSV rows; for a LIBSVM file drop --cv (or convert the file to CSV).");
            return RunSparse(parse, cancellation);
        }
        RejectStreamingOptions(parse);
        string dataName = parse.GetValue(Data)!;
        string outDir = parse.GetValue(Out) ?? Path.Combine("runs", Path.GetFileNameWithoutExtension(dataName));
        bool quiet = parse.GetValue(Quiet);
        double? testFraction = parse.GetValue(TestFraction);
        string? testData = parse.GetValue(TestData);
        if (testData != null && testFraction.HasValue)
            throw new ArgumentException($"--test-data {Messages.Cut(testData)} names the test rows and --test-fraction {testFraction} would hold out others: give one of them (with --test-data every row of --data trains).");
        if (testFraction.HasValue && !(testFraction >= 0 && testFraction < 1))
            throw new ArgumentException($"--test-fraction {testFraction} must be in [0, 1); 0 trains on every row.");

        // The output folder is checked before any input is read: it must not hold an input it would replace.
        using var output = OutputSet.Folder(outDir, File.Exists(dataName) ? dataName : null, testData, parse.GetValue(WarmStart));
        var covarianceKind = CovarianceFrom(parse);
        bool wantsInference = InferenceRequested(parse);
        var (loadedTrain, loadedTest) = testData == null
            ? Datasets.LoadSplit(dataName, testFraction, parse.GetValue(Seed), parse.GetValue(Label), parse.GetValue(SampleWeight), parse.GetValue(DataDir), TabularFrom(parse))
            : LoadWithTestFile(parse, dataName, testData);
        var (train, test, groups) = WithoutGroups(parse, loadedTrain, loadedTest);
        var crossValidation = CrossValidationFrom(parse, train, test, parse.CommandResult.Command.Name == "cv");
        if (crossValidation is { } found) (train, test) = (found.Train, found.Test);
        var options = OptionsFrom(parse, train.ClassCount);
        options.Validate();
        DataWarnings.BeforeTraining(train, options, parse.GetValue(Label));
        if (IsFirth(parse)) CheckFirth(parse, train, options, crossValidation != null, covarianceKind);
        var notes = TabularNotes(train, options, parse.GetValue(InferenceSummary)).ToList();
        // The collinearity note heads the summary, which is printed unless --quiet.
        foreach (string note in notes.Where(n => quiet || !n.Contains("--categorical-drop", StringComparison.Ordinal))) Console.Error.WriteLine(note);
        int outputs = options.Model == ModelKind.Logistic ? 1 : train.ClassCount;
        SetThreads(parse, train.SampleCount, train.FeatureCount * Math.Max(1, options.PolynomialDegree), outputs);
        if (wantsInference)
        {
            long expanded = options.PolynomialDegree > 1 ? new PolynomialFeatures(train.FeatureCount, options.PolynomialDegree).OutputFeatureCount : train.FeatureCount;
            MemoryBudget.CheckSquare("--summary needs a dense Hessian", (long)outputs * (expanded + (options.FitIntercept ? 1 : 0)), 8, 3, "Drop --summary, or use fewer features or a lower --poly-degree.");
        }
        double? threshold = ThresholdFor(parse, train.ClassCount, dataName);
        string? warmStartPath = parse.GetValue(WarmStart);
        using var warmStart = warmStartPath == null ? null : ModelExport.Load(warmStartPath);

        CrossValidationResult? cvResult = null;
        if (crossValidation is { } cv)
        {
            if (warmStart != null) throw new ArgumentException("--warm-start cannot be combined with --cv: every fold starts its own path. Drop one of them.");
            int parallel = Math.Min(Environment.ProcessorCount, cv.Options.FoldAssignment?.Max() + 1 ?? cv.Options.Folds);
            if (parse.GetValue(Threads) == 0) TorchSharp.torch.set_num_threads(1);
            cvResult = CrossValidation.Run(train, options, cv.Options with { Parallelism = Math.Max(1, parallel) }, cancellation);
            double chosen = parse.GetValue(Choose) == "one-se" ? cvResult.OneStandardErrorC : cvResult.BestC;
            options = options with { C = chosen, L1Ratio = cvResult.BestL1Ratio };
            SetThreads(parse, train.SampleCount, train.FeatureCount * Math.Max(1, options.PolynomialDegree), outputs);
            if (!quiet) Console.WriteLine($"cross-validation ({cvResult.FoldCount} folds, {FoldScore.NameOf(cvResult.Scoring)}): best C = {cvResult.BestC:G4}, one-SE C = {cvResult.OneStandardErrorC:G4}; refitting at C = {chosen:G4}");
        }
        var progress = new ProgressReporter(options.MaxIterations, enabled: !quiet);
        using var model = Trainer.Fit(train, options, test, progress.Report, cancellation, warmStart: warmStart);
        progress.Finish();
        var result = model.Result!;
        if (result.Stop == StopReason.Diverged) return CliRunner.ReportDiverged(result);
        var firthFit = IsFirth(parse) ? FirthCoefficients(model, train) : null;
        (CalibrationReportJson Report, Dictionary<string, byte[]> Plots)? calibrated = null;
        if (cvResult != null && CalibrationFrom(parse) is { } calibrationMethod)
            calibrated = CalibrateModel(model, calibrationMethod, cvResult, train, test, options.C, dataName);

        // Everything is computed before the first file is written, and each file is replaced atomically.
        bool official = BuiltinDatasets.HasOfficialSplit(dataName);
        var report = TrainingReport.Create(dataName, model, train, test, threshold) with
        {
            Seed = parse.GetValue(Seed),
            Split = testData != null ? "test file" : official ? "official" : "random, stratified",
            TestFraction = testData != null ? null : official ? (double)(test?.SampleCount ?? 0) / (train.SampleCount + (test?.SampleCount ?? 0)) : testFraction ?? 0.2,
            TestData = testData,
        };
        if (firthFit != null) report = report with { Penalty = "firth" };
        if (calibrated is { } calibration) report = report with { Calibration = calibration.Report };
        string? summaryText = null;
        CoefficientEstimates? estimates = null;
        var inferenceFiles = new Dictionary<string, byte[]>();
        if (wantsInference)
        {
            var inference = firthFit ?? LogitInference.Of(model, train, covariance: new CovarianceOptions(covarianceKind, groups));
            summaryText = inference.Refusal is { } refusal ? FlagNames.ToFlags(refusal.Message) + Environment.NewLine : inference.Result.Summary();
            foreach (string note in notes.Where(n => n.Contains("--categorical-drop", StringComparison.Ordinal))) summaryText = note + Environment.NewLine + summaryText;
            var inferenceJson = InferenceReport.ToJson(inference);
            var (extraText, extraFiles) = InferenceExtras(parse, model, train, inference, inferenceJson);
            summaryText += extraText;
            inferenceFiles = extraFiles;
            estimates = inference.Refused ? null : inference.Result.Estimates;
            report = report with { Inference = inferenceJson };
        }
        byte[] modelBytes = ModelFile.ToBytes(model, estimates);
        var plots = ReportPlots.Render(model, test ?? train, test != null ? "test" : "train", Path.GetFileNameWithoutExtension(dataName), threshold, parse.GetValue(LogScale));
        report = report with { PeakMemoryBytes = Performance.PeakMemory.Bytes() };
        output.WriteBytes("model.bin", modelBytes);
        output.WriteText("metrics.json", TrainingReport.ToText(report));
        var calibrationFiles = calibrated?.Plots ?? new Dictionary<string, byte[]>();
        foreach (var (name, png) in plots.Concat(inferenceFiles).Concat(calibrationFiles)) output.WriteBytes(name, png);
        if (cvResult != null)
        {
            output.WriteText("cv.json", CrossValidationJson(cvResult, options.C));
            output.WriteBytes("cv.png", CrossValidationPng(cvResult, Path.GetFileNameWithoutExtension(dataName)));
        }
        if (summaryText != null) output.WriteText("summary.txt", summaryText);
        output.Commit(cancellation);

        DataWarnings.AfterTraining(options, report.Train.Accuracy);
        if (!result.Converged)
            Console.Error.WriteLine($"warning: not converged — {result.StopDescription}. Raise --max-iter, loosen --tol, or try --solver lbfgs.");
        if (!quiet) Summary.Print(TrainingReport.ToNode(report), outDir, plots.Keys.Concat(inferenceFiles.Keys).Concat(calibrationFiles.Keys).Append(summaryText != null ? "summary.txt" : null).OfType<string>());
        if (!quiet && report.Calibration != null) Console.Write(CalibrationSummary(report.Calibration));
        if (summaryText != null && !quiet)
        {
            Console.WriteLine();
            Console.Write(summaryText);
        }
        return 0;
    }

    /// <summary>
    /// Every row of --data for training (fashion-mnist: its official training part) and the labelled rows of the test
    /// file, brought into the training data's columns and classes (a label the training data lacks is refused).
    /// </summary>
    private static (Dataset Train, Dataset Test) LoadWithTestFile(ParseResult parse, string dataName, string testData)
    {
        // Every row trains: test fraction 0 (fashion-mnist: its official training part), with the tabular options.
        var train = Datasets.LoadSplit(dataName, BuiltinDatasets.HasOfficialSplit(dataName) ? null : 0, parse.GetValue(Seed), parse.GetValue(Label),
            parse.GetValue(SampleWeight), parse.GetValue(DataDir), TabularFrom(parse)).Train;
        string owner = $"the training data '{Messages.Cut(dataName)}'";
        if (train.Encoding != null && !BuiltinDatasets.Contains(testData))
        {
            // The test file's raw columns go through the encoder fitted on the training rows (levels, fills, indicators).
            var table = TabularTable.Load(testData);
            return (train, LabelledRows.FromTable(table, train.Encoding.Transform(table), train.FeatureNames, train.Classes, parse.GetValue(Label), owner));
        }
        // Only the label is read by name from the test file; its other columns are matched to the training features by name.
        var test = Datasets.Load(testData, BuiltinDatasets.Contains(testData) ? null : parse.GetValue(Label), null,
            BuiltinDatasets.ReadsDataDir(testData) ? parse.GetValue(DataDir) : null);
        return (train, LabelledRows.Align(test, train.FeatureNames, train.Classes, owner));
    }

    /// <summary>Sets libtorch's thread count: --threads, or the automatic choice for the problem's size.</summary>
    private static void SetThreads(ParseResult parse, long rows, long features, long outputs)
    {
        int threads = ThreadCount.Check(parse.GetValue(Threads), minimum: 0);
        TorchSharp.torch.set_num_threads(threads > 0 ? threads : ThreadPolicy.Choose(rows, features, outputs));
    }

    /// <summary>The checked --threshold, or null.</summary>
    private static double? ThresholdFor(ParseResult parse, int classCount, string dataName)
    {
        double? threshold = parse.GetValue(Threshold);
        if (threshold.HasValue && !(threshold > 0 && threshold < 1))
            throw new ArgumentException($"--threshold {threshold} must be in (0, 1).");
        if (threshold.HasValue && classCount != 2)
            throw new ArgumentException($"--threshold applies to binary problems; '{dataName}' has {classCount} classes. Leave --threshold out.");
        return threshold;
    }

    private static TrainingOptions OptionsFrom(ParseResult parse, int classCount, SolverKind? solverKind = null)
    {
        string model = parse.GetValue(Model)!;
        var kind = model switch
        {
            "auto" => classCount == 2 ? ModelKind.Logistic : ModelKind.Softmax,
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
        var solver = solverKind ?? SolverRegistry.Parse(parse.GetValue(SolverName)!);
        return new TrainingOptions
        {
            Model = kind,
            Penalty = IsFirth(parse) ? PenaltyKind.L2 : Penalty.ParseKind(parse.GetValue(PenaltyName)!),
            C = parse.GetValue(C),
            L1Ratio = parse.GetValue(L1Ratio),
            Solver = solver,
            LearningRate = parse.GetValue(Lr) ?? SolverDefaults.LearningRateFor(solver),
            BatchSize = parse.GetValue(BatchSize),
            Seed = parse.GetValue(Seed),
            PolynomialDegree = parse.GetValue(PolyDegree),
            MaxIterations = parse.GetValue(MaxIter),
            Tolerance = parse.GetValue(Tol),
            HistorySize = parse.GetValue(History) is int h ? (h >= 1 ? h : throw new ArgumentException($"--history {h} must be ≥ 1 (try 10).")) : 0,
            Standardize = parse.GetValue(Standardize),
            FitIntercept = !parse.GetValue(NoIntercept),
            DType = dtype switch
            {
                "float64" => ScalarType.Float64,
                "float32" => ScalarType.Float32,
                _ => throw new ArgumentException($"Unknown --dtype '{dtype}'. Use float64 or float32."),
            },
            Gradients = gradients switch
            {
                "analytic" => GradientMode.Analytic,
                "autograd" => GradientMode.Autograd,
                _ => throw new ArgumentException($"Unknown --gradients '{gradients}'. Use analytic or autograd."),
            },
            ClassWeight = classWeightMode,
            ClassWeightValues = classWeightValues,
            LabelSmoothing = parse.GetValue(LabelSmoothing),
        };
    }
}
