namespace TorchLogistic.Data;

/// <summary>A data file or data set that cannot be used as it is; the message names the problem and the fix.</summary>
public sealed class DataFormatException : Exception
{
    /// <summary>Creates the exception with a message that names the problem and the fix.</summary>
    public DataFormatException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public DataFormatException(string message, Exception inner) : base(message, inner) { }
}
