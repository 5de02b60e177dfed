namespace TorchLogistic.Checking;

/// <summary>What <see cref="BuiltinGradcheck.run"/> checks and how strictly.</summary>
public sealed record GradcheckSettings
{
    /// <summary>Number of random seeds per case (default 3: each reduction none/mean/sum once).</summary>
    public int seeds { get; init; } = 3;

    /// <summary>The first seed (default 0).</summary>
    public int first_seed { get; init; }

    /// <summary>Tolerances and finite-difference step (default PyTorch's gradcheck values, 1e-10/1e-8 between exact methods).</summary>
    public GradientCheckOptions options { get; init; } = GradientCheckOptions.defaults;

    /// <summary>
    /// Added to the first entry of every closed-form derivative (default 0). Non-zero values make the checks
    /// fail on purpose: a demonstration that the checker catches a wrong derivative.
    /// </summary>
    public double perturb { get; init; }

    /// <summary>Only the cases whose name contains this text (ignoring case), or null for every case.</summary>
    public string? only { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming a bad value.</summary>
    public void validate()
    {
        if (seeds < 1) throw new ArgumentException($"seeds = {seeds} must be ≥ 1.");
        if (first_seed < 0) throw new ArgumentException($"first_seed = {first_seed} must be ≥ 0.");
        if (!double.IsFinite(perturb)) throw new ArgumentException($"perturb = {perturb} must be a finite number.");
        options.validate();
    }
}
