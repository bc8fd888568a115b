using Microsoft.ML.Recurrent.Engine.Layers;

namespace Microsoft.ML.Recurrent.Onnx;

/// <summary>A <see cref="Dense"/> layer over the last axis of a tensor of any rank: MatMul by its transposed weight, plus its bias.</summary>
internal static class DenseOnnx
{
    public static string Apply(OnnxGraph graph, Dense layer, string x, string hint)
    {
        int rows = layer.OutputSize, columns = layer.InputSize;
        float[] transposed = new float[rows * columns];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++) transposed[c * rows + r] = layer.Weight.Value[r * columns + c];
        return graph.Node("Add", [graph.Node("MatMul", [x, graph.Constant($"{hint}_weight_t", transposed, columns, rows)]), graph.Constant($"{hint}_bias", layer.Bias.Value, rows)]);
    }
}
