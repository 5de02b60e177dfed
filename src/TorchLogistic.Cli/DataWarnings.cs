using System.Globalization;
using TorchLogistic.Data;
using TorchLogistic.Objectives;
using TorchLogistic.Training;

namespace TorchLogistic.Cli;

/// <summary>Input that trains but probably not as meant: each case gets one "warning:" line on stderr.</summary>
internal static class DataWarnings
{
    /// <summary>More distinct labels than this, most of them on a single row, look like a continuous column.</summary>
    private const int ContinuousClasses = 20;

    /// <summary>Before training: a class with zero total weight, a label column that looks continuous.</summary>
    public static void BeforeTraining(Dataset train, TrainingOptions options, string? labelColumn)
    {
        var weights = SampleWeights.Combine(train.Labels, train.SampleWeight, options.ClassWeight == ClassWeightMode.Explicit ? options.ClassWeightValues : null);
        if (weights != null)
        {
            var total = new double[train.ClassCount];
            for (int i = 0; i < train.SampleCount; i++) total[train.Labels[i]] += weights[i];
            var zero = Enumerable.Range(0, train.ClassCount).Where(c => total[c] == 0 && train.ClassCounts()[c] > 0).Select(c => train.Classes[c]).ToList();
            if (zero.Count > 0)
                Console.Error.WriteLine($"warning: class{(zero.Count > 1 ? "es" : "")} {string.Join(", ", zero.Take(5).Select(c => Messages.Cut(c)))} ha{(zero.Count > 1 ? "ve" : "s")} total weight 0 in the training rows: the fit ignores {(zero.Count > 1 ? "them" : "it")} and pushes {(zero.Count > 1 ? "their" : "its")} probabilities towards 0. Check --sample-weight and --class-weight.");
        }
        int singletons = train.ClassCounts().Count(c => c == 1);
        if (train.ClassCount > ContinuousClasses && singletons * 2 > train.ClassCount)
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"warning: the label column{(labelColumn == null ? " (the last column)" : $" '{Messages.Cut(labelColumn)}'")} has {train.ClassCount} distinct values in {train.SampleCount} rows, {singletons} of them on one row each: it looks continuous, not a class. Name the class column with --label."));
    }

    /// <summary>After training: separable rows without a penalty have no finite optimum, whatever "converged" says.</summary>
    public static void AfterTraining(TrainingOptions options, double trainAccuracy)
    {
        if (options.Penalty == PenaltyKind.None && trainAccuracy == 1)
            Console.Error.WriteLine("warning: the training rows are separated perfectly and --penalty is none: there is no finite optimum (the weights grow while the loss goes to 0), so the coefficients depend on --tol and --max-iter. Use --penalty l2 (a finite C).");
    }
}
