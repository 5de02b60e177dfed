namespace TorchLogistic.Export;

/// <summary>The precision an exported ONNX graph computes in; its inputs and <c>probabilities</c> output are float32 either way.</summary>
public enum OnnxArithmetic
{
    /// <summary>
    /// float64 inside the graph (a Cast after the inputs, float64 constants, a Cast before the output): the
    /// probabilities match the library's float64 ones to float32 rounding (≈ 1e-7) even for large logits.
    /// </summary>
    Float64,

    /// <summary>
    /// float32 throughout: every runtime's fastest path; logits lose ≈ 1e-7 relative per term, so models with large
    /// logits over many features differ from the library by a few 1e-6 (docs/export.md lists the measured maxima).
    /// </summary>
    Float32,
}
