using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace TorchLogistic.Losses;

/// <summary>Argument checks shared by the loss modules and functions, with messages that name the fix.</summary>
internal static class FormChecks
{
    public static string Shape(Tensor t) => $"[{string.Join(", ", t.shape)}]";

    public static void FloatingInput(Tensor input)
    {
        if (!input.is_floating_point())
            throw new ArgumentException($"The input (logits) is {input.dtype}; it must be float32 or float64.", nameof(input));
    }

    public static void SameShape(Tensor input, Tensor target)
    {
        if (!target.shape.SequenceEqual(input.shape))
            throw new ArgumentException($"The target has shape {Shape(target)} but the input has shape {Shape(input)}; they must match.", nameof(target));
    }

    /// <summary><paramref name="t"/> broadcast to <paramref name="shapeTo"/> in <paramref name="dtype"/>, or an error naming <paramref name="what"/>.</summary>
    public static Tensor Broadcast(Tensor t, long[] shapeTo, ScalarType dtype, string what)
    {
        try
        {
            return t.to_type(dtype).broadcast_to(shapeTo);
        }
        catch (ExternalException)
        {
            throw new ArgumentException($"{what} has shape {Shape(t)}, which does not broadcast to the input's shape [{string.Join(", ", shapeTo)}].");
        }
    }
}
