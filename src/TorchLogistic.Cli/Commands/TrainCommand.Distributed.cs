using System.CommandLine;
using System.Globalization;
using System.Text;
using TorchLogistic.Data;
using TorchLogistic.Distributed;
using TorchLogistic.Metrics;
using TorchLogistic.Reporting;
using TorchLogistic.Training;

namespace TorchLogistic.Cli.Commands;

/// <summary>
/// <c>mpirun -np N torchlogistic train --distributed …</c>: data-parallel training over MPI. Each rank reads its own rows
/// (a row range of --data, or its own file when --data holds {rank}), every rank runs the same full-batch solver on
/// sums over all ranks, and rank 0 alone prints progress and writes the outputs (and the checkpoints). Without
/// --distributed none of this runs and MPI is never loaded.
/// </summary>
internal static partial class TrainCommand
{
    private static readonly Option<bool> DistributedOption = new("--distributed")
    {
        Description = "Train data-parallel over MPI (launch with mpirun -np N or srun --mpi=pmix): each rank reads its row range of --data " +
            $"(or its own file when --data holds {ShardedDataset.RankPlaceholder}); the result equals one process on all rows. Rank 0 writes the outputs.",
    };
    private static readonly Option<int> CheckpointEvery = new("--checkpoint-every")
    {
        Description = "With --distributed: rank 0 saves θ every N iterations to <out>.checkpoint (0: never).",
        DefaultValueFactory = _ => 0,
    };
    private static readonly Option<bool> Resume = new("--resume") { Description = "With --distributed: continue from <out>.checkpoint (written by --checkpoint-every) to the same optimum." };

    /// <summary>Environment variable that, set to 1, times waiting for the slowest rank apart from the allreduce (benchmarks/mpi/scaling.sh).</summary>
    private const string SplitTimingVariable = "TORCHLOGISTIC_MPI_SPLIT_WAIT";

    private static int RunDistributed(ParseResult parse, CancellationToken cancellation)
    {
        if (parse.GetValue(Stream)) throw new ArgumentException("--distributed trains full-batch solvers on rows held in memory; drop --stream (or --distributed).");
        RejectStreamingOptions(parse);
        if (Given(parse, TestFraction) && parse.GetValue(TestFraction) != 0)
            throw new ArgumentException("--distributed trains on every row of --data; hold out a test file yourself and evaluate it with predict. Drop --test-fraction.");
        if (parse.GetValue(InferenceSummary)) throw new ArgumentException("--summary needs every row in one process; drop --summary with --distributed.");
        if (parse.GetValue(WarmStart) != null) throw new ArgumentException("--warm-start is not supported with --distributed; use --checkpoint-every and --resume to continue a run.");
        int every = parse.GetValue(CheckpointEvery);
        if (every < 0) throw new ArgumentException($"--checkpoint-every {every} must be ≥ 0 iterations (0: never).");

        using var communicator = MpiCommunicator.Initialize();
        // Benchmarks: a timed barrier before each allreduce separates waiting for the slowest rank from the transfer.
        communicator.SeparateWaiting = Environment.GetEnvironmentVariable(SplitTimingVariable) == "1";
        try
        {
            int status = TrainDistributed(parse, communicator, every, cancellation);
            communicator.Barrier();
            return status;
        }
        catch (Exception e) when (communicator.Size > 1)
        {
            // One rank's error must end the job: the others would wait in their next allreduce for ever.
            communicator.Abort(ReportOnRank(e, parse.GetValue(CommonOptions.Verbose), communicator));
            throw;
        }
    }

    /// <summary>
    /// Writes a rank's error, every line prefixed with "rank r of n: ", to stderr in one write before MPI_Abort:
    /// written piece by piece, mpirun could forward the prefix, then its own abort notice, and lose the rest when it
    /// kills the rank.
    /// </summary>
    private static int ReportOnRank(Exception e, bool verbose, MpiCommunicator communicator)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        int status = CliRunner.Report(e, verbose, text);
        string prefix = $"rank {communicator.Rank} of {communicator.Size}: ";
        var lines = text.ToString().TrimEnd('\n').Split('\n');
        byte[] bytes = Encoding.UTF8.GetBytes(string.Concat(lines.Select(line => prefix + line + "\n")));
        Console.Error.Flush();
        using var stderr = Console.OpenStandardError();
        stderr.Write(bytes);
        stderr.Flush();
        return status;
    }

    private static int TrainDistributed(ParseResult parse, MpiCommunicator communicator, int every, CancellationToken cancellation)
    {
        string dataName = parse.GetValue(Data)!;
        bool sparse = IsSparse(parse);
        string stem = Path.GetFileNameWithoutExtension(LibSvmStem(dataName.Replace(ShardedDataset.RankPlaceholder, "", StringComparison.Ordinal)));
        string outDir = parse.GetValue(Out) ?? Path.Combine("runs", stem);
        string checkpointPath = Path.TrimEndingDirectorySeparator(Path.GetFullPath(outDir)) + ".checkpoint";
        bool root = communicator.Rank == 0;
        bool quiet = parse.GetValue(Quiet) || !root;

        // Rank 0 alone writes; its output folder is checked before any input is read.
        using var output = root ? OutputSet.Folder(outDir, File.Exists(dataName) ? dataName : null) : null;
        Checkpoint? resume = null;
        if (parse.GetValue(Resume))
        {
            byte[]? bytes = null;
            if (root)
                bytes = File.Exists(checkpointPath) ? File.ReadAllBytes(checkpointPath)
                    : throw new FileNotFoundException($"--resume: there is no checkpoint '{checkpointPath}'. Train with --checkpoint-every N first, or drop --resume.");
            resume = Checkpoint.FromBytes(communicator.BroadcastPayload(bytes, root: 0), checkpointPath);
        }
        if (sparse)
        {
            foreach (var (option, why) in new (Option, string)[] { (Label, "a LIBSVM row's label is its first token"), (SampleWeight, "LIBSVM rows carry no weight column"), (DataDir, "it names fashion-mnist's folder") })
            {
                if (Given(parse, option)) throw new ArgumentException($"{option.Name} does not apply to LIBSVM data: {why}. Drop {option.Name}.");
            }
        }
        // LIBSVM input: sparse shards (row ranges of one file, or one file per rank); otherwise dense rows.
        SparseDataset? sparseLocal = null;
        Dataset? local = null;
        RowShard shard;
        if (sparse) (sparseLocal, shard) = ShardedSparseDataset.Load(communicator, dataName);
        else (local, shard) = ShardedDataset.Load(communicator, dataName, parse.GetValue(Label), parse.GetValue(SampleWeight), parse.GetValue(DataDir));
        int classCount = sparseLocal?.ClassCount ?? local!.ClassCount;
        var options = OptionsFrom(parse, classCount);
        options.Validate();
        int outputs = options.Model == ModelKind.Logistic ? 1 : classCount;
        // Sparse: work per evaluation is proportional to the non-zeros, not rows × columns.
        if (sparseLocal != null) SetThreads(parse, sparseLocal.Features.NonZeroCount, 1, outputs);
        else SetThreads(parse, local!.SampleCount, local.FeatureCount * Math.Max(1, options.PolynomialDegree), outputs);
        double? threshold = ThresholdFor(parse, classCount, dataName);

        var progress = new ProgressReporter(options.MaxIterations, enabled: !quiet);
        var policy = every > 0 || resume != null ? new CheckpointPolicy(checkpointPath, every, resume) : null;
        double reducedBefore = communicator.AllreduceSeconds, waitedBefore = communicator.WaitingSeconds;
        long callsBefore = communicator.AllreduceCalls;
        using var model = sparseLocal != null
            ? DistributedTrainer.Fit(communicator, sparseLocal, shard, options, progress.Report, cancellation, policy)
            : DistributedTrainer.Fit(communicator, local!, shard, options, progress.Report, cancellation, policy);
        progress.Finish();
        var result = model.Result!;
        if (result.Stop == StopReason.Diverged) return root ? CliRunner.ReportDiverged(result) : CliRunner.Diverged;
        // Every rank predicts its rows; the metrics are those of all rows (gathered on every rank; rank 0 reports them).
        var (labels, probabilities) = sparseLocal != null
            ? DistributedPredictions.Gather(communicator, model, sparseLocal, shard)
            : DistributedPredictions.Gather(communicator, model, local!, shard);
        if (!root) return 0;

        var report = TrainingReport.CreateFromScores(dataName, model, labels, probabilities, threshold) with
        {
            Seed = parse.GetValue(Seed),
            Split = string.Create(CultureInfo.InvariantCulture,
                $"distributed: {shard.Total} training rows over {communicator.Size} ranks; the train metrics and curves are those of all rows, {(sparse ? "the plots too" : $"the plots of rank 0's {shard.Count} rows")}"),
            TestFraction = 0,
        };
        byte[] modelBytes = IO.ModelFile.ToBytes(model);
        // Sparse rows: the plots are drawn from every row's scores (no dense rows to draw the feature plots from).
        var plots = sparse
            ? ReportPlots.RenderStreamed(model, Evaluation.Of(labels, probabilities, classCount, threshold), "train", stem, parse.GetValue(LogScale))
            : ReportPlots.Render(model, local!, "train", Path.GetFileNameWithoutExtension(dataName), threshold, parse.GetValue(LogScale));
        report = report with { PeakMemoryBytes = Performance.PeakMemory.Bytes() };
        output!.WriteBytes("model.bin", modelBytes);
        output.WriteText("metrics.json", TrainingReport.ToText(report));
        foreach (var (name, png) in plots) output.WriteBytes(name, png);
        output.Commit(cancellation);
        if (File.Exists(checkpointPath)) File.Delete(checkpointPath);

        if (!result.Converged)
            Console.Error.WriteLine($"warning: not converged — {result.StopDescription}. Raise --max-iter, loosen --tol, or try --solver lbfgs.");
        if (!parse.GetValue(Quiet))
        {
            Summary.Print(TrainingReport.ToNode(report), outDir, plots.Keys);
            double reduced = communicator.AllreduceSeconds - reducedBefore;
            double share = result.FitSeconds > 0 ? reduced / result.FitSeconds : 0;
            string waiting = communicator.SeparateWaiting
                ? string.Create(CultureInfo.InvariantCulture, $", waiting for the slowest rank {communicator.WaitingSeconds - waitedBefore:F4} s")
                : "";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"distributed: {communicator.Size} ranks ({communicator.LibraryName}), {shard.Total} rows ({shard.Count} on rank 0), {result.Iterations} iterations, " +
                $"{communicator.AllreduceCalls - callsBefore} allreduces taking {reduced:F4} s of {result.FitSeconds:F3} s training ({100 * share:F1} %)") + waiting);
        }
        return 0;
    }

    /// <summary>Refuses the checkpoint options without --distributed, naming the fix.</summary>
    private static void RejectDistributedOptions(ParseResult parse)
    {
        if (Given(parse, CheckpointEvery) || parse.GetValue(Resume))
            throw new ArgumentException("--checkpoint-every and --resume apply to --distributed; add --distributed (it runs as one process without mpirun).");
    }
}
