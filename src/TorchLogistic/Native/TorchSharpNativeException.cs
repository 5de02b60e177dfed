namespace TorchLogistic.Native;

/// <summary>
/// TorchSharp's native libraries cannot be loaded in this process; the message names the cause and the fix.
/// Thrown by <see cref="TorchSharpNative.Ensure"/> (and so by the library's first use) instead of TorchSharp's
/// own failure, which would otherwise surface later as a <see cref="TypeInitializationException"/>.
/// </summary>
public sealed class TorchSharpNativeException : Exception
{
    /// <summary>Creates the exception with a message that names the cause and the fix.</summary>
    public TorchSharpNativeException(string message, Exception? inner = null) : base(message, inner) { }
}
