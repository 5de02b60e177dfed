namespace TorchLogistic.Calibration;

/// <summary>How out-of-fold scores are mapped to calibrated probabilities (scikit-learn's <c>CalibratedClassifierCV(method=…)</c>).</summary>
public enum CalibrationMethod
{
    /// <summary>Platt scaling: <c>p = 1 / (1 + exp(a·z + b))</c>, two parameters fitted by maximum likelihood on Platt's prior-corrected targets (<see cref="PlattScaling"/>).</summary>
    Sigmoid,

    /// <summary>Isotonic regression: the weighted least-squares non-decreasing step fit, linearly interpolated and clipped at the ends (<see cref="IsotonicCalibration"/>).</summary>
    Isotonic,
}
