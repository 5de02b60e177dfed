using System.CommandLine;
using System.Globalization;
using TorchLogistic.Data;
using TorchLogistic.Objectives;
using TorchLogistic.Optim;
using TorchLogistic.Training;

namespace TorchLogistic.Cli.Commands;

/// <summary><c>torchlogistic compare-solvers</c>: every solver on all rows of one problem, as a Markdown table.</summary>
internal static class CompareSolversCommand
{
    private static readonly Option<string> Data = new("--data") { Description = $"Built-in data set ({string.Join(", ", BuiltinDatasets.Names)}) or a CSV file.", Required = true };
    private static readonly Option<string?> Label = new("--label") { Description = "Label column of a CSV (default: the last column)." };
    private static readonly Option<string> Solvers = new("--solvers") { Description = "Comma-separated solvers (default: all that can minimise the penalty).", DefaultValueFactory = _ => "" };
    private static readonly Option<string> PenaltyName = new("--penalty") { Description = "none, l2, l1 or elasticnet.", DefaultValueFactory = _ => "l2" };
    private static readonly Option<double> C = new("--C") { Description = "Inverse regularisation strength.", DefaultValueFactory = _ => SolverDefaults.C };
    private static readonly Option<double> L1Ratio = new("--l1-ratio") { Description = "Elastic-net L1 share ρ in [0, 1].", DefaultValueFactory = _ => 0.5 };
    private static readonly Option<double> Tol = new("--tol") { Description = "Tolerance on each solver's criterion.", DefaultValueFactory = _ => 1e-8 };
    private static readonly Option<int> MaxIter = new("--max-iter") { Description = "Iteration limit of every solver.", DefaultValueFactory = _ => 100_000 };
    private static readonly Option<double?> Lr = new("--lr") { Description = $"Step size of gd, adagrad and sgd (default {SolverDefaults.LearningRate}, {SolverDefaults.StochasticLearningRate} for adagrad and sgd)." };
    private static readonly Option<int> BatchSize = new("--batch-size") { Description = "Mini-batch size of sgd.", DefaultValueFactory = _ => SolverDefaults.BatchSize };
    private static readonly Option<int> Seed = new("--seed") { Description = "Seed of sgd's shuffles.", DefaultValueFactory = _ => 0 };
    private static readonly Option<bool> Raw = new("--no-standardize") { Description = "Use the features as they are (default: standardised)." };
    private static readonly Option<int> Threads = new("--threads") { Description = "libtorch intra-op threads (0: libtorch's default). On small problems 1 avoids threading overhead.", DefaultValueFactory = _ => 0 };

    public static Command Create()
    {
        var command = new Command("compare-solvers", "Run every solver on all rows of a data set and print iterations, evaluations, time and final objective as a Markdown table.")
        {
            Data, Label, Solvers, PenaltyName, C, L1Ratio, Tol, MaxIter, Lr, BatchSize, Seed, Raw, Threads,
        };
        command.SetAction(parse => Run(parse));
        return command;
    }

    private static int Run(ParseResult parse)
    {
        int threads = ThreadCount.Check(parse.GetValue(Threads), minimum: 0);
        if (threads > 0) TorchSharp.torch.set_num_threads(threads);
        var data = Datasets.Load(parse.GetValue(Data)!, parse.GetValue(Label));
        var penalty = Penalty.ParseKind(parse.GetValue(PenaltyName)!);
        var options = new TrainingOptions
        {
            Model = data.ClassCount == 2 ? ModelKind.Logistic : ModelKind.Softmax,
            Penalty = penalty,
            C = parse.GetValue(C),
            L1Ratio = parse.GetValue(L1Ratio),
            Tolerance = parse.GetValue(Tol),
            MaxIterations = parse.GetValue(MaxIter),
            LearningRate = parse.GetValue(Lr) ?? SolverDefaults.LearningRate,
            BatchSize = parse.GetValue(BatchSize),
            Seed = parse.GetValue(Seed),
            Standardize = !parse.GetValue(Raw),
        };
        string list = parse.GetValue(Solvers)!;
        var names = list.Length > 0
            ? list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(SolverRegistry.Parse).ToArray()
            : (penalty is PenaltyKind.L1 or PenaltyKind.ElasticNet ? SolverRegistry.L1Kinds : SolverRegistry.Kinds).ToArray();
        double? learningRate = parse.GetValue(Lr);
        var rows = SolverComparison.Run(data, options, names, learningRate == null ? SolverDefaults.LearningRateFor : null);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{data.Name}: {data.SampleCount} rows, {data.FeatureCount} features, {data.ClassCount} classes; {options.Model.ToString().ToLowerInvariant()}, penalty {options.PenaltyObject.Name}, C = {options.C}, tol = {options.Tolerance:g3}, max_iter = {options.MaxIterations}{(options.Standardize ? ", standardised" : "")}; {TorchSharp.torch.get_num_threads()} libtorch thread(s)"));
        Console.WriteLine();
        Console.Write(SolverComparison.ToMarkdown(rows));
        foreach (var r in rows.Where(r => !r.Converged))
            Console.Error.WriteLine($"warning: {SolverRegistry.NameOf(r.Solver)} did not converge — {r.StopDescription}.");
        return 0;
    }
}
