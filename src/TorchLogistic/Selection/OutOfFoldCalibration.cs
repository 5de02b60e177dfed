using TorchLogistic.Calibration;
using TorchLogistic.Data;
using TorchLogistic.Training;

namespace TorchLogistic.Selection;

/// <summary>
/// A calibrator fitted on cross-validated logits, as scikit-learn 1.2's <c>CalibratedClassifierCV(method, cv=folds,
/// ensemble=False)</c>: every row's logits come from the model fitted without its fold (<c>cross_val_predict</c> of the
/// decision function), one calibrator is fitted on all of them, and the model refitted on all rows
/// (<see cref="CrossValidation.Refit"/>) carries it (<see cref="FittedModel.Calibration"/>). The rows' sample weights
/// weigh the calibration (as scikit-learn passes <c>sample_weight</c> on); class weights shape the fits, not the calibration.
/// </summary>
public static class OutOfFoldCalibration
{
    /// <summary>Fits the calibrator on the out-of-fold logits at grid point (<paramref name="ratioIndex"/>, <paramref name="cIndex"/>).</summary>
    /// <param name="train">The rows the search ran on.</param>
    /// <param name="search">The search; its out-of-fold logits must have been kept (<see cref="CrossValidationOptions.KeepOutOfFold"/>).</param>
    /// <param name="model">The model kind of the search (how logits become probabilities before calibration).</param>
    /// <param name="method">Platt scaling or isotonic regression.</param>
    /// <param name="cIndex">Index in <see cref="CrossValidationResult.Cs"/> of the C refitted at.</param>
    /// <param name="ratioIndex">Index of the l1_ratio refitted at.</param>
    public static OutOfFoldCalibrationResult Fit(Dataset train, CrossValidationResult search, ModelKind model, CalibrationMethod method, int cIndex, int ratioIndex)
    {
        double[] logits = search.OutOfFoldLogits?[ratioIndex][cIndex]
            ?? throw new ArgumentException("The search kept no out-of-fold logits. Run it with CrossValidationOptions.KeepOutOfFold = true.");
        var input = model == ModelKind.Softmax ? CalibrationInput.CentredLogits : CalibrationInput.Logits;
        int columns = model == ModelKind.Logistic ? 1 : train.ClassCount;
        var calibrator = ProbabilityCalibrator.Fit(method, input, ProbabilityCalibrator.ScoresOf(input, logits, columns), train.Labels, train.ClassCount, train.SampleWeight);
        return new OutOfFoldCalibrationResult(calibrator, LinkProbabilities(logits, model, train.ClassCount), calibrator.Probabilities(logits));
    }

    /// <summary>The uncalibrated probabilities of logits, row-major <c>(m, K)</c>: σ (binary), normalised member σ (one-vs-rest) or softmax.</summary>
    /// <param name="logits">Row-major <c>(m, 1)</c> for logistic regression, <c>(m, K)</c> otherwise.</param>
    /// <param name="model">The model kind.</param>
    /// <param name="classCount">K.</param>
    public static double[] LinkProbabilities(double[] logits, ModelKind model, int classCount)
    {
        if (model == ModelKind.Logistic)
        {
            var binary = new double[logits.Length * 2];
            for (int i = 0; i < logits.Length; i++)
            {
                double p = PlattScaling.Sigmoid(logits[i]);
                binary[2 * i] = 1 - p;
                binary[2 * i + 1] = p;
            }
            return binary;
        }
        int k = classCount, rows = logits.Length / k;
        var proba = new double[logits.Length];
        for (int i = 0; i < rows; i++)
        {
            var z = logits.AsSpan(i * k, k);
            double max = double.NegativeInfinity, sum = 0;
            foreach (double v in z) max = Math.Max(max, v);
            for (int c = 0; c < k; c++)
            {
                double q = model == ModelKind.OneVsRest ? PlattScaling.Sigmoid(z[c]) : Math.Exp(z[c] - max);
                proba[i * k + c] = q;
                sum += q;
            }
            for (int c = 0; c < k; c++) proba[i * k + c] /= sum;
        }
        return proba;
    }
}
