namespace TorchLogistic.Objectives;

/// <summary>
/// How <see cref="LinearModelObjective"/> applies class weights and normalises the weighted data term — the one
/// place the conventions are written down. With sᵢ the sample weights, w the class weights, ε the label smoothing,
/// K the classes, m the rows and ℓᵢ(q) = −Σ_c q_c·log softmax(zᵢ)_c (see <see cref="Losses.PointwiseCrossEntropy"/>):
/// <code>
/// ScikitLearn:  F = (1/m)           Σᵢ sᵢ·w_{yᵢ}·ℓᵢ((1 − ε)·e_{yᵢ} + ε/K)          + ½‖W‖²/(C·m)
/// PyTorch:      F = (1/Σᵢ w_{yᵢ})   Σᵢ sᵢ·ℓᵢ((1 − ε)·w_{yᵢ}·e_{yᵢ} + (ε/K)·w)     + ½‖W‖²/(C·m)
/// </code>
/// scikit-learn multiplies a row's whole (smoothed) loss by its class weight and divides by m; PyTorch's
/// <c>CrossEntropyLoss(weight: w, label_smoothing: ε)</c> with reduction <c>mean</c> weights each class's smoothing
/// term by that class's weight and divides by Σᵢ w_{yᵢ}. Without class weights they are the same function.
/// For one output (binary logistic regression, w = (α₀, α₁)) PyTorch's form is <c>BCEWithLogitsLoss</c>:
/// <c>−[α₁·t·log σ(z) + α₀·(1 − t)·log σ(−z)]</c> with t = (1 − ε)·y + ε/2, divided by m (its mean is over the
/// entries); scikit-learn's multiplies the whole row by α_{yᵢ}.
/// <para>
/// The map between the knobs. <b>pos_weight ↔ class_weight:</b> PyTorch's <c>pos_weight</c> p is the class weight
/// pair (α₀, α₁) = (1, p), and (α₀, α₁) is <c>weight = α₀, pos_weight = α₁/α₀</c>; with hard labels (ε = 0) both
/// conventions then give the same F (the row weight α_{yᵢ} and the term weight coincide, and both divide by m).
/// <b>class_weight ↔ C:</b> for K ≥ 2 without smoothing the two differ only in the normaliser, so
/// <c>F_PyTorch(θ; C) = (m/Σᵢ w_{yᵢ})·F_ScikitLearn(θ; C′)</c> with <c>C′ = C·m/Σᵢ w_{yᵢ}</c>: the same optimum as
/// scikit-learn's at the effective C′ (with "balanced" weights Σᵢ w_{yᵢ} = m and C′ = C). With label smoothing
/// and class weights the two are different functions, not a rescaling.
/// </para>
/// </summary>
public enum WeightConvention
{
    /// <summary>scikit-learn's (the default): class weights multiply the row's sample weight; divide by m.</summary>
    ScikitLearn,
    /// <summary>PyTorch's: class weights inside the loss (<c>CrossEntropyLoss(weight)</c> / <c>BCEWithLogitsLoss</c> term weights); <c>mean</c> divides by Σᵢ w_{yᵢ} (K ≥ 2) or m (K = 1).</summary>
    PyTorch,
}
