namespace TorchLogistic.Export;

/// <summary>The formats a fitted model can be exported to (<see cref="ModelExport.Save"/>).</summary>
public enum ExportFormat
{
    /// <summary>One ONNX graph from raw columns to <c>label</c> and <c>probabilities</c> (<see cref="OnnxExport"/>).</summary>
    Onnx,

    /// <summary>A PyTorch state_dict of <c>nn.Linear</c> plus a JSON of the preprocessing (<see cref="PyTorchExport"/>).</summary>
    PyTorch,

    /// <summary>NumPy arrays in an <c>.npz</c> (<see cref="NumpyExport"/>).</summary>
    Numpy,

    /// <summary>Plain JSON with every parameter (<see cref="ExportDocument"/>).</summary>
    Json,
}
