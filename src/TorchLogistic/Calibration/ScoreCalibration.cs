namespace TorchLogistic.Calibration;

/// <summary>A fitted map from one score (a logit) to a probability of one class: <see cref="PlattScaling"/> or <see cref="IsotonicCalibration"/>.</summary>
public abstract class ScoreCalibration
{
    /// <summary>The method this map was fitted with.</summary>
    public abstract CalibrationMethod Method { get; }

    /// <summary>The calibrated probability of a score <paramref name="score"/>, in [0, 1].</summary>
    public abstract double Apply(double score);
}
