using System.Buffers.Binary;

namespace TorchLogistic.Export;

// The subset of onnx.proto (onnx/onnx, IR version 7+) this library writes, with the field numbers of the schema:
//   ModelProto        1 ir_version, 2 producer_name, 3 producer_version, 7 graph, 8 opset_import, 14 metadata_props
//   OperatorSetIdProto 1 domain, 2 version          StringStringEntryProto 1 key, 2 value
//   GraphProto        1 node, 2 name, 5 initializer, 11 input, 12 output
//   NodeProto         1 input, 2 output, 3 name, 4 op_type, 5 attribute, 7 domain
//   AttributeProto    1 name, 2 f, 3 i, 4 s, 5 t, 7 floats, 8 ints, 9 strings, 20 type
//   TensorProto       1 dims, 2 data_type, 6 string_data, 8 name, 9 raw_data
//   ValueInfoProto    1 name, 2 type   TypeProto 1 tensor_type   TypeProto.Tensor 1 elem_type, 2 shape
//   TensorShapeProto  1 dim            Dimension 1 dim_value, 2 dim_param
// Numeric tensors go in raw_data (little-endian), strings in string_data, as onnx's own helpers do.

/// <summary>ONNX's <c>TensorProto.DataType</c> values used here.</summary>
internal enum OnnxDataType
{
    /// <summary>float32.</summary>
    Float = 1,

    /// <summary>int64.</summary>
    Int64 = 7,

    /// <summary>UTF-8 string.</summary>
    String = 8,

    /// <summary>bool.</summary>
    Bool = 9,

    /// <summary>float64.</summary>
    Double = 11,
}

/// <summary>A constant tensor (an initializer or a tensor attribute): one of the three value arrays is set.</summary>
internal sealed record OnnxTensor(string Name, OnnxDataType Type, long[] Dims, float[]? Floats = null, long[]? Int64s = null, string[]? Strings = null,
    double[]? Doubles = null)
{
    /// <summary>A real tensor of <paramref name="dims"/>: float64 as given, or float32 (rounded to nearest) when <paramref name="type"/> is <see cref="OnnxDataType.Float"/>.</summary>
    public static OnnxTensor Real(string name, OnnxDataType type, IReadOnlyList<double> values, params long[] dims) => type == OnnxDataType.Double
        ? new(name, type, dims, Doubles: values.ToArray())
        : new(name, OnnxDataType.Float, dims, values.Select(v => (float)v).ToArray());

    /// <summary>An int64 tensor.</summary>
    public static OnnxTensor Int64(string name, long[] values, params long[] dims) => new(name, OnnxDataType.Int64, dims, Int64s: values);

    /// <summary>A string tensor.</summary>
    public static OnnxTensor String(string name, string[] values, params long[] dims) => new(name, OnnxDataType.String, dims, Strings: values);

    /// <summary>Writes the TensorProto fields.</summary>
    public void Write(ProtoWriter w)
    {
        w.WritePackedInt64(1, Dims);
        w.WriteInt64(2, (int)Type);
        if (Strings != null)
        {
            foreach (string s in Strings) w.WriteString(6, s);
        }
        w.WriteString(8, Name);
        if (Floats != null)
        {
            var raw = new byte[4 * Floats.Length];
            for (int i = 0; i < Floats.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(4 * i), Floats[i]);
            w.WriteBytes(9, raw);
        }
        else if (Doubles != null)
        {
            var raw = new byte[8 * Doubles.Length];
            for (int i = 0; i < Doubles.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(raw.AsSpan(8 * i), Doubles[i]);
            w.WriteBytes(9, raw);
        }
        else if (Int64s != null)
        {
            var raw = new byte[8 * Int64s.Length];
            for (int i = 0; i < Int64s.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(8 * i), Int64s[i]);
            w.WriteBytes(9, raw);
        }
    }
}

/// <summary>A node attribute (AttributeProto); exactly one value is set, and <see cref="Write"/> records its type.</summary>
internal sealed record OnnxAttribute(string Name, long? Int = null, float? Float = null, string? Text = null, long[]? Ints = null,
    float[]? Floats = null, string[]? Strings = null, OnnxTensor? Tensor = null)
{
    /// <summary>Writes the AttributeProto fields, with <c>type</c> (INT 2, FLOAT 1, STRING 3, TENSOR 4, FLOATS 6, INTS 7, STRINGS 8).</summary>
    public void Write(ProtoWriter w)
    {
        w.WriteString(1, Name);
        if (Float is float f) { w.WriteFloat(2, f); w.WriteInt64(20, 1); }
        else if (Int is long i) { w.WriteInt64(3, i); w.WriteInt64(20, 2); }
        else if (Text != null) { w.WriteString(4, Text); w.WriteInt64(20, 3); }
        else if (Tensor != null) { w.WriteMessage(5, Tensor.Write); w.WriteInt64(20, 4); }
        else if (Floats != null) { w.WritePackedFloat(7, Floats); w.WriteInt64(20, 6); }
        else if (Ints != null) { w.WritePackedInt64(8, Ints); w.WriteInt64(20, 7); }
        else if (Strings != null)
        {
            foreach (string s in Strings) w.WriteString(9, s);
            w.WriteInt64(20, 8);
        }
        else throw new InvalidOperationException($"Attribute '{Name}' has no value.");
    }
}

/// <summary>One operator application (NodeProto); <see cref="Domain"/> is "" for ai.onnx, "ai.onnx.ml" for the ML operators.</summary>
internal sealed record OnnxNode(string OpType, string Name, string[] Inputs, string[] Outputs, OnnxAttribute[] Attributes, string Domain = "")
{
    /// <summary>Writes the NodeProto fields.</summary>
    public void Write(ProtoWriter w)
    {
        foreach (string input in Inputs) w.WriteString(1, input);
        foreach (string output in Outputs) w.WriteString(2, output);
        w.WriteString(3, Name);
        w.WriteString(4, OpType);
        foreach (var attribute in Attributes) w.WriteMessage(5, attribute.Write);
        if (Domain.Length > 0) w.WriteString(7, Domain);
    }
}

/// <summary>A graph input or output (ValueInfoProto): a tensor of <see cref="Type"/> whose null dims are the symbolic batch size "N".</summary>
internal sealed record OnnxValueInfo(string Name, OnnxDataType Type, long?[] Dims)
{
    /// <summary>Writes the ValueInfoProto fields.</summary>
    public void Write(ProtoWriter w)
    {
        w.WriteString(1, Name);
        w.WriteMessage(2, type => type.WriteMessage(1, tensor =>
        {
            tensor.WriteInt64(1, (int)Type);
            tensor.WriteMessage(2, shape =>
            {
                foreach (long? dim in Dims)
                {
                    shape.WriteMessage(1, d =>
                    {
                        if (dim is long value) d.WriteInt64(1, value);
                        else d.WriteString(2, "N");
                    });
                }
            });
        }));
    }
}

/// <summary>A whole model (ModelProto with its GraphProto): nodes in topological order, initializers, inputs, outputs, metadata.</summary>
internal sealed record OnnxModelProto(string GraphName, IReadOnlyList<OnnxNode> Nodes, IReadOnlyList<OnnxTensor> Initializers,
    IReadOnlyList<OnnxValueInfo> Inputs, IReadOnlyList<OnnxValueInfo> Outputs, IReadOnlyList<KeyValuePair<string, string>> Metadata,
    long IrVersion, IReadOnlyList<KeyValuePair<string, long>> Opsets, string ProducerName, string ProducerVersion)
{
    /// <summary>The serialized ModelProto.</summary>
    public byte[] ToBytes()
    {
        var w = new ProtoWriter();
        w.WriteInt64(1, IrVersion);
        w.WriteString(2, ProducerName);
        w.WriteString(3, ProducerVersion);
        w.WriteMessage(7, graph =>
        {
            foreach (var node in Nodes) graph.WriteMessage(1, node.Write);
            graph.WriteString(2, GraphName);
            foreach (var tensor in Initializers) graph.WriteMessage(5, tensor.Write);
            foreach (var input in Inputs) graph.WriteMessage(11, input.Write);
            foreach (var output in Outputs) graph.WriteMessage(12, output.Write);
        });
        foreach (var (domain, version) in Opsets)
        {
            w.WriteMessage(8, o =>
            {
                if (domain.Length > 0) o.WriteString(1, domain);
                o.WriteInt64(2, version);
            });
        }
        foreach (var (key, value) in Metadata)
        {
            w.WriteMessage(14, e =>
            {
                e.WriteString(1, key);
                e.WriteString(2, value);
            });
        }
        return w.ToArray();
    }
}
