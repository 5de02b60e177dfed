namespace TorchLogistic.IO;

/// <summary>A model file that cannot be read: not a TorchLogistic model, a newer format, truncated or corrupt.</summary>
public sealed class ModelFormatException : Exception
{
    /// <summary>Creates the exception with a message that names the problem and the fix.</summary>
    public ModelFormatException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ModelFormatException(string message, Exception inner) : base(message, inner) { }
}
