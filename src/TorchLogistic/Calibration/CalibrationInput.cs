namespace TorchLogistic.Calibration;

/// <summary>Which scores of a linear model a <see cref="ProbabilityCalibrator"/> maps, one column per calibrated class.</summary>
public enum CalibrationInput
{
    /// <summary>The logits as the model computes them: binary logistic regression's one logit (class 1), one-vs-rest's K member logits.</summary>
    Logits,

    /// <summary>
    /// Softmax: the K logits minus their mean over the classes, <c>zₖ − (1/K)Σⱼ zⱼ</c>. Softmax logits are defined up to a
    /// common shift (the unpenalised intercepts); centred they are unique, and for an L2 fit (whose coefficients sum to
    /// zero over the classes) equal to scikit-learn's <c>decision_function</c>, whose intercepts also sum to zero.
    /// </summary>
    CentredLogits,
}
