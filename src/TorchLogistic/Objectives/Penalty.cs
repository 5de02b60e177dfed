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
    /// <param name="C">Inverse regularisation strength, &gt; 0 (default 1, as scikit-learn). Ignored for <see cref="PenaltyKind.None"/>.</param>
    /// <param name="l1_ratio">ρ in [0, 1] for <see cref="PenaltyKind.ElasticNet"/> (default 0.5).</param>
    public Penalty(PenaltyKind kind, double C = 1.0, double l1_ratio = 0.5)
    {
        if (!(C > 0) || double.IsPositiveInfinity(C) && kind != PenaltyKind.None)
            throw new ArgumentOutOfRangeException(nameof(C), C, $"C = {C} must be a finite number > 0 (C is the inverse regularisation strength; try 1).");
        if (!(l1_ratio >= 0 && l1_ratio <= 1))
            throw new ArgumentOutOfRangeException(nameof(l1_ratio), l1_ratio, $"l1_ratio = {l1_ratio} must be in [0, 1].");
        this.kind = kind;
        this.C = C;
        this.l1_ratio = l1_ratio;
    }

    /// <summary>No penalty.</summary>
    public static Penalty none { get; } = new(PenaltyKind.None);

    /// <summary>L2 with the given C.</summary>
    public static Penalty l2(double C = 1.0) => new(PenaltyKind.L2, C);

    /// <summary>Which penalty.</summary>
    public PenaltyKind kind { get; }

    /// <summary>Inverse regularisation strength.</summary>
    public double C { get; }

    /// <summary>ρ, the L1 share of an elastic net.</summary>
    public double l1_ratio { get; }

    /// <summary>Share of ½‖W‖² in P: 1 for L2, 1 − ρ for elastic net, else 0.</summary>
    public double l2_share => kind switch { PenaltyKind.L2 => 1, PenaltyKind.ElasticNet => 1 - l1_ratio, _ => 0 };

    /// <summary>Share of ‖W‖₁ in P: 1 for L1, ρ for elastic net, else 0.</summary>
    public double l1_share => kind switch { PenaltyKind.L1 => 1, PenaltyKind.ElasticNet => l1_ratio, _ => 0 };

    /// <summary>λ₂ = l2_share/(C·m), the factor of ½‖W‖² in the objective over <paramref name="m"/> samples.</summary>
    public double l2_strength(long m) => l2_share / (C * m);

    /// <summary>λ₁ = l1_share/(C·m), the factor of ‖W‖₁ in the objective over <paramref name="m"/> samples.</summary>
    public double l1_strength(long m) => l1_share / (C * m);

    /// <summary>The name used on the command line and in metrics.json: none, l2, l1, elasticnet.</summary>
    public string name => kind switch
    {
        PenaltyKind.None => "none",
        PenaltyKind.L2 => "l2",
        PenaltyKind.L1 => "l1",
        _ => "elasticnet",
    };

    /// <summary>Parses a command-line name (none, l2, l1, elasticnet).</summary>
    public static PenaltyKind parse_kind(string name) => name switch
    {
        "none" => PenaltyKind.None,
        "l2" => PenaltyKind.L2,
        "l1" => PenaltyKind.L1,
        "elasticnet" => PenaltyKind.ElasticNet,
        _ => throw new ArgumentException($"Unknown penalty '{name}'. Use none, l2, l1 or elasticnet."),
    };
}
