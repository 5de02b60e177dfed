using System.CommandLine;
using TorchLogistic.Data;
using TorchLogistic.Inference;
using TorchLogistic.IO;

namespace TorchLogistic.Cli.Commands;

/// <summary><c>torchlogistic compare-models A B --data D</c>: the likelihood-ratio test between two nested saved models, with AIC and BIC.</summary>
internal static class CompareModelsCommand
{
    private static readonly Argument<string> First = new("A") { Description = "A model.bin trained with --penalty none." };
    private static readonly Argument<string> Second = new("B") { Description = "Another model.bin, nested in A or containing it." };
    private static readonly Option<string> Data = new("--data") { Description = "The rows both models were trained on (a built-in data set or CSV); every row is used.", Required = true };
    private static readonly Option<string?> Label = new("--label") { Description = "Label column of a CSV (default: the last column)." };

    public static Command Create()
    {
        var command = new Command("compare-models", "Likelihood-ratio test, AIC and BIC of two nested models on the same rows.") { First, Second, Data, Label };
        command.SetAction((parse, cancellation) => Task.FromResult(Run(parse)));
        return command;
    }

    private static int Run(ParseResult parse)
    {
        string a = parse.GetValue(First)!, b = parse.GetValue(Second)!;
        using var modelA = ModelFile.Load(a);
        using var modelB = ModelFile.Load(b);
        var data = Datasets.Load(parse.GetValue(Data)!, parse.GetValue(Label));
        InferenceResult Fit(TorchLogistic.Training.FittedModel model, string name)
        {
            var missing = model.FeatureNames.Where(f => Array.IndexOf(data.FeatureNames, f) < 0).ToArray();
            if (missing.Length > 0)
                throw new ArgumentException($"{name}'s features ({string.Join(", ", missing)}) are not columns of {data.Name}; pass the data the models were trained on.");
            var outcome = LogitInference.Of(model, data.SelectFeatures(model.FeatureNames));
            return outcome.Refusal is { } refusal ? throw new ArgumentException($"{name}: {FlagNames.ToFlags(refusal.Message)}") : outcome.Result;
        }
        var comparison = ModelComparison.Of(Fit(modelA, a), Fit(modelB, b), a, b);
        Console.Write(comparison.Summary("A", "B"));
        return 0;
    }
}
