using TorchLogistic.Models;

namespace TorchLogistic.Calibration;

/// <summary>
/// The calibration of a fitted linear classifier's probabilities, as scikit-learn 1.2's <c>_CalibratedClassifier</c>:
/// one <see cref="ScoreCalibration"/> per column of the decision function (<see cref="Input"/>). Binary (one logit, class
/// 1's): <c>p₁ = f(z)</c>, <c>p₀ = 1 − p₁</c>. K classes (K logits): <c>qₖ = fₖ(zₖ)</c>, one-vs-rest, then
/// <c>pₖ = qₖ / Σⱼ qⱼ</c> (the uniform 1/K where every qₖ is 0).
/// </summary>
public sealed class ProbabilityCalibrator
{
    /// <summary>A calibrator of <paramref name="maps"/>, one per decision-function column, all of one method.</summary>
    /// <param name="input">Which scores the maps take.</param>
    /// <param name="maps">One map per column: one for a binary model, K for K classes.</param>
    public ProbabilityCalibrator(CalibrationInput input, IReadOnlyList<ScoreCalibration> maps)
    {
        if (maps.Count == 0) throw new ArgumentException("A calibrator needs at least one map (one per decision-function column).");
        if (maps.Any(m => m.Method != maps[0].Method)) throw new ArgumentException("Every map of a calibrator must use the same method.");
        if (input == CalibrationInput.CentredLogits && maps.Count < 2) throw new ArgumentException("Centred logits need at least two columns (softmax over K ≥ 2 classes).");
        Input = input;
        Maps = maps.ToArray();
    }

    /// <summary>Which scores the maps take.</summary>
    public CalibrationInput Input { get; }

    /// <summary>One map per decision-function column (binary: one, for class 1's logit).</summary>
    public IReadOnlyList<ScoreCalibration> Maps { get; }

    /// <summary>The method of every map.</summary>
    public CalibrationMethod Method => Maps[0].Method;

    /// <summary>The number of classes the probabilities have: 2 for one map, else one per map.</summary>
    public int ClassCount => Maps.Count == 1 ? 2 : Maps.Count;

    /// <summary>The columns the maps take, row-major <c>(m, Maps.Count)</c> (<see cref="ScoresOf"/>).</summary>
    /// <param name="logits">The model's logits, row-major <c>(m, Maps.Count)</c>.</param>
    public double[] Scores(double[] logits) => ScoresOf(Input, logits, Maps.Count);

    /// <summary>The scores of <paramref name="input"/> for logits <paramref name="logits"/>, row-major <c>(m, columns)</c>: the logits, or centred over the columns.</summary>
    /// <param name="input">Logits as they are, or centred.</param>
    /// <param name="logits">Row-major <c>(m, columns)</c>.</param>
    /// <param name="columns">Logits per row.</param>
    public static double[] ScoresOf(CalibrationInput input, double[] logits, int columns)
    {
        if (columns < 1 || logits.Length % columns != 0) throw new ArgumentException($"{logits.Length} logits do not form rows of {columns} columns.");
        if (input == CalibrationInput.Logits) return logits;
        var centred = new double[logits.Length];
        for (int row = 0; row < logits.Length / columns; row++)
        {
            double mean = 0;
            for (int k = 0; k < columns; k++) mean += logits[row * columns + k];
            mean /= columns;
            for (int k = 0; k < columns; k++) centred[row * columns + k] = logits[row * columns + k] - mean;
        }
        return centred;
    }

    /// <summary>Calibrated class probabilities of rows with logits <paramref name="logits"/>, row-major <c>(m, ClassCount)</c>.</summary>
    /// <param name="logits">The model's logits (decision function), row-major <c>(m, Maps.Count)</c>.</param>
    public double[] Probabilities(double[] logits)
    {
        double[] scores = Scores(logits);
        int outputs = Maps.Count, rows = scores.Length / outputs, k = ClassCount;
        var proba = new double[rows * k];
        for (int i = 0; i < rows; i++)
        {
            if (outputs == 1)
            {
                double p = Maps[0].Apply(scores[i]);
                proba[i * 2] = 1 - p;
                proba[i * 2 + 1] = p;
                continue;
            }
            double sum = 0;
            for (int c = 0; c < k; c++)
            {
                double q = Maps[c].Apply(scores[i * k + c]);
                proba[i * k + c] = q;
                sum += q;
            }
            for (int c = 0; c < k; c++) proba[i * k + c] = sum != 0 ? proba[i * k + c] / sum : 1.0 / k;
        }
        return proba;
    }

    /// <summary>Fits one map per column of <paramref name="scores"/> to the rows' classes, as <c>CalibratedClassifierCV</c>'s <c>_fit_calibrator</c>.</summary>
    /// <param name="method">Platt scaling or isotonic regression.</param>
    /// <param name="input">What <paramref name="scores"/> are (stored with the calibrator; the scores are used as given).</param>
    /// <param name="scores">Row-major <c>(m, columns)</c>: one column (class 1's score, binary), or one per class (a binary softmax or one-vs-rest model has two).</param>
    /// <param name="labels">Each row's class index.</param>
    /// <param name="classCount">K.</param>
    /// <param name="weight">Row weights, or null (all 1).</param>
    public static ProbabilityCalibrator Fit(CalibrationMethod method, CalibrationInput input, double[] scores, int[] labels, int classCount, double[]? weight = null)
    {
        int m = labels.Length;
        if (m == 0) throw new ArgumentException("A calibrator needs at least one row.");
        int columns = scores.Length / m;
        if (scores.Length != (long)m * columns || !(columns == classCount || (columns == 1 && classCount == 2)))
            throw new ArgumentException($"{scores.Length} scores for {m} rows of {classCount} classes: give one per class per row (or one, class 1's, for two classes).");
        var maps = new ScoreCalibration[columns];
        for (int c = 0; c < columns; c++)
        {
            int positive = columns == 1 ? 1 : c;
            double[] column = new double[m];
            int[] isClass = new int[m];
            for (int i = 0; i < m; i++)
            {
                column[i] = scores[(long)i * columns + c];
                isClass[i] = labels[i] == positive ? 1 : 0;
            }
            if (column.Any(v => !double.IsFinite(v))) throw new ArgumentException("A score to calibrate is not finite; the model's logits overflowed. Standardise the features or regularise more.");
            maps[c] = method == CalibrationMethod.Isotonic ? IsotonicCalibration.Fit(column, isClass, weight) : PlattScaling.Fit(column, isClass, weight);
        }
        return new ProbabilityCalibrator(input, maps);
    }

    /// <summary>The scores a calibrator of <paramref name="module"/> takes: centred logits for softmax, the logits otherwise.</summary>
    public static CalibrationInput InputFor(LinearClassifier module) => module is SoftmaxRegression ? CalibrationInput.CentredLogits : CalibrationInput.Logits;
}
