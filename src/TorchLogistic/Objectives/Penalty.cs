namespace TorchLogistic.Objectives;

/// <summary>The penalties on the coefficients W (never on the intercepts).</summary>
public enum PenaltyKind
{
    /// <summary>No penalty: the plain weighted log-likelihood.</summary>
    None,
    /// <summary>½‖W‖², ridge.</summary>
    L2,
    /// <summary>‖W‖₁, lasso.</summary>
    L1,
    /// <summary>ρ‖W‖₁ + (1 − ρ)·½‖W‖² with ρ = l1_ratio.</summary>
    ElasticNet,
}

/// <summary>
/// A penalty <c>P(W)</c> and its inverse strength C, as in scikit-learn: the objective adds
/// <c>P(W)/(C·m)</c>. Split into an L2 part (smooth, in f) and an L1 part (handled by proximal solvers).
/// </summary>
public sealed record Penalty
{
    /// <summary>Creates a penalty and validates it.</summary>
    /// <param name="kind">Which penalty.</param>
    /// <param name="c">Inverse regularisation strength, &gt; 0 (default 1, as scikit-learn). Ignored for <see cref="PenaltyKind.None"/>.</param>
    /// <param name="l1Ratio">ρ in [0, 1] for <see cref="PenaltyKind.ElasticNet"/> (default 0.5).</param>
    public Penalty(PenaltyKind kind, double c = 1.0, double l1Ratio = 0.5)
    {
        if (!(c > 0) || double.IsPositiveInfinity(c) && kind != PenaltyKind.None)
            throw new ArgumentOutOfRangeException(nameof(c), c, $"C = {c} must be a finite number > 0 (C is the inverse regularisation strength; try 1).");
        if (!(l1Ratio >= 0 && l1Ratio <= 1))
            throw new ArgumentOutOfRangeException(nameof(l1Ratio), l1Ratio, $"l1_ratio = {l1Ratio} must be in [0, 1].");
        this.Kind = kind;
        this.C = c;
        this.L1Ratio = l1Ratio;
    }

    /// <summary>No penalty.</summary>
    public static Penalty None { get; } = new(PenaltyKind.None);

    /// <summary>L2 with the given C.</summary>
    public static Penalty L2(double c = 1.0) => new(PenaltyKind.L2, c);

    /// <summary>Which penalty.</summary>
    public PenaltyKind Kind { get; }

    /// <summary>Inverse regularisation strength.</summary>
    public double C { get; }

    /// <summary>ρ, the L1 share of an elastic net.</summary>
    public double L1Ratio { get; }

    /// <summary>Share of ½‖W‖² in P: 1 for L2, 1 − ρ for elastic net, else 0.</summary>
    public double L2Share => Kind switch { PenaltyKind.L2 => 1, PenaltyKind.ElasticNet => 1 - L1Ratio, _ => 0 };

    /// <summary>Share of ‖W‖₁ in P: 1 for L1, ρ for elastic net, else 0.</summary>
    public double L1Share => Kind switch { PenaltyKind.L1 => 1, PenaltyKind.ElasticNet => L1Ratio, _ => 0 };

    /// <summary>λ₂ = l2_share/(C·m), the factor of ½‖W‖² in the objective over <paramref name="m"/> samples.</summary>
    public double L2Strength(long m) => L2Share / (C * m);

    /// <summary>λ₁ = l1_share/(C·m), the factor of ‖W‖₁ in the objective over <paramref name="m"/> samples.</summary>
    public double L1Strength(long m) => L1Share / (C * m);

    /// <summary>The name used on the command line and in metrics.json: none, l2, l1, elasticnet.</summary>
    public string Name => Kind switch
    {
        PenaltyKind.None => "none",
        PenaltyKind.L2 => "l2",
        PenaltyKind.L1 => "l1",
        _ => "elasticnet",
    };

    /// <summary>Parses a command-line name (none, l2, l1, elasticnet).</summary>
    public static PenaltyKind ParseKind(string name) => name switch
    {
        "none" => PenaltyKind.None,
        "l2" => PenaltyKind.L2,
        "l1" => PenaltyKind.L1,
        "elasticnet" => PenaltyKind.ElasticNet,
        _ => throw new ArgumentException($"Unknown penalty '{name}'. Use none, l2, l1 or elasticnet."),
    };
}
