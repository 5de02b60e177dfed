namespace TorchLogistic.Checking;

/// <summary>What <see cref="BuiltinGradcheck.Run"/> checks and how strictly.</summary>
public sealed record GradcheckSettings
{
    /// <summary>Number of random seeds per case (default 3: each reduction none/mean/sum once).</summary>
    public int Seeds { get; init; } = 3;

    /// <summary>The first seed (default 0).</summary>
    public int FirstSeed { get; init; }

    /// <summary>Tolerances and finite-difference step (default PyTorch's gradcheck values, 1e-10/1e-8 between exact methods).</summary>
    public GradientCheckOptions Options { get; init; } = GradientCheckOptions.Defaults;

    /// <summary>
    /// Added to the first entry of every closed-form derivative (default 0). Non-zero values make the checks
    /// fail on purpose: a demonstration that the checker catches a wrong derivative.
    /// </summary>
    public double Perturb { get; init; }

    /// <summary>Only the cases whose name contains this text (ignoring case), or null for every case.</summary>
    public string? Only { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming a bad value.</summary>
    public void Validate()
    {
        if (Seeds < 1) throw new ArgumentException($"seeds = {Seeds} must be ≥ 1.");
        if (FirstSeed < 0) throw new ArgumentException($"first_seed = {FirstSeed} must be ≥ 0.");
        if (!double.IsFinite(Perturb)) throw new ArgumentException($"perturb = {Perturb} must be a finite number.");
        Options.Validate();
    }
}
