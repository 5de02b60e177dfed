using TorchLogistic.Calibration;

namespace TorchLogistic.Selection;

/// <summary>A calibrator fitted on out-of-fold logits, with those rows' probabilities before and after it.</summary>
/// <param name="Calibrator">The fitted calibrator (attach it to the refit: <see cref="Training.FittedModel.Calibration"/>).</param>
/// <param name="Before">Every training row's out-of-fold probabilities, uncalibrated, row-major <c>(m, K)</c>.</param>
/// <param name="After">The same rows' calibrated probabilities, row-major <c>(m, K)</c> (in-sample for the calibrator, which was fitted on them).</param>
public sealed record OutOfFoldCalibrationResult(ProbabilityCalibrator Calibrator, double[] Before, double[] After);
