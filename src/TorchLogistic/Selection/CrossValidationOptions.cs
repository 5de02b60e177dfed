namespace TorchLogistic.Selection;

/// <summary>What a cross-validated choice of C (and l1_ratio) searches and how it scores.</summary>
public sealed record CrossValidationOptions
{
    /// <summary>scikit-learn's <c>LogisticRegressionCV</c> default grid: 10 values log-spaced over 1e-4 … 1e4.</summary>
    public static double[] DefaultCs => RegularizationPath.LogGrid(1e-4, 1e4, 10);

    /// <summary>Number of folds K (default 5); ignored when <see cref="FoldAssignment"/> is given.</summary>
    public int Folds { get; init; } = 5;

    /// <summary>The grid of C, each finite and &gt; 0 (default <see cref="DefaultCs"/>); fitted in increasing order, each fold's path warm-started.</summary>
    public IReadOnlyList<double> Cs { get; init; } = DefaultCs;

    /// <summary>Elastic net: the grid of l1_ratio, each in [0, 1] (default: the options' own l1_ratio only).</summary>
    public IReadOnlyList<double>? L1Ratios { get; init; }

    /// <summary>How each held-out fold is scored (default log loss).</summary>
    public CrossValidationScoring Scoring { get; init; } = CrossValidationScoring.LogLoss;

    /// <summary>Seed of the stratified fold assignment (default 0).</summary>
    public int Seed { get; init; }

    /// <summary>The fold (0 … K−1) of every training row, instead of drawing one (scikit-learn's <c>PredefinedSplit</c>); null draws stratified folds.</summary>
    public int[]? FoldAssignment { get; init; }

    /// <summary>Folds fitted at the same time (default: the cores, at most K); 1 fits them one after another.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Keep each fold's held-out logits at every grid point (needed for calibration; default true).</summary>
    public bool KeepOutOfFold { get; init; } = true;
}
