using Microsoft.ML.Recurrent.Engine.Layers;

namespace Microsoft.ML.Recurrent.Onnx;

/// <summary>
/// A <see cref="RecurrentNetwork"/> as ONNX <c>LSTM</c>, <c>GRU</c> or <c>RNN</c> nodes, one per layer (both directions in
/// one bidirectional node), with PyTorch's gate order mapped to ONNX's (LSTM i,f,g,o -> i,o,f,c; GRU r,z,n -> z,r,h),
/// <c>linear_before_reset</c> 1 for PyTorch's GRU and 0 for the textbook one, peepholes as P[i,o,f], and
/// <c>sequence_lens</c> for variable lengths. Between layers Y [T, D, B, H] becomes [T, B, D*H].
/// </summary>
internal static class RecurrentOnnx
{
    /// <summary>Adds the layers' nodes; returns the last layer's per-step output [T, B, D*H] and final hidden state [D, B, H].</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="network">The recurrent stack.</param>
    /// <param name="input">[T, B, I] time-major input.</param>
    /// <param name="lengths">[B] int32 sequence lengths.</param>
    public static (string Output, string FinalHidden) Add(OnnxGraph graph, RecurrentNetwork network, string input, string lengths)
    {
        string x = input, finalHidden = "";
        int d = network.Directions, h = network.HiddenSize;
        string toRows = graph.Constant("rows_shape", [0, 0, -1], 3);
        for (int l = 0; l < network.NumLayers; l++)
        {
            RecurrentLayer[] layers = [.. Enumerable.Range(0, d).Select(k => network.Layers[l * d + k])];
            (string op, int[] order) = network.CellType switch
            {
                CellType.Lstm or CellType.PeepholeLstm => ("LSTM", new[] { 0, 3, 1, 2 }),
                CellType.Gru or CellType.GruResetBefore => ("GRU", new[] { 1, 0, 2 }),
                _ => ("RNN", new[] { 0 }),
            };
            int gates = order.Length, inputSize = layers[0].InputSize;
            string w = graph.Constant($"W_l{l}", Stack(layers, p => p.WeightIh.Value, order, h, inputSize), d, gates * h, inputSize);
            string r = graph.Constant($"R_l{l}", Stack(layers, p => p.WeightHh.Value, order, h, h), d, gates * h, h);
            float[] bias = [.. layers.SelectMany(p => Reorder(p.BiasIh.Value, order, h, 1).Concat(Reorder(p.BiasHh.Value, order, h, 1)))];
            string b = graph.Constant($"B_l{l}", bias, d, 2 * gates * h);
            var inputs = new List<string> { x, w, r, b, lengths };
            var attributes = new List<(string, object)> { ("hidden_size", (long)h), ("direction", d == 2 ? "bidirectional" : "forward") };
            if (network.CellType == CellType.PeepholeLstm)
            {
                // Our peepholes are (i, f, o); ONNX's P is [i, o, f]. Inputs: X, W, R, B, sequence_lens, initial_h, initial_c, P.
                float[] p = [.. layers.SelectMany(layer => { var q = layer.Parameters.Skip(4).ToArray(); return q[0].Value.Concat(q[2].Value).Concat(q[1].Value); })];
                inputs.AddRange(["", "", graph.Constant($"P_l{l}", p, d, 3 * h)]);
            }
            if (op == "GRU") attributes.Add(("linear_before_reset", network.CellType == CellType.Gru ? 1L : 0L));
            if (op == "RNN") attributes.Add(("activations", Enumerable.Repeat(network.CellType == CellType.ElmanRelu ? "Relu" : "Tanh", d).ToArray()));
            string y = graph.Name($"Y_l{l}");
            finalHidden = graph.Name($"Yh_l{l}");
            graph.Node(op, [.. inputs], [y, finalHidden], [.. attributes]);
            string perStep = graph.Node("Transpose", [y], null, ("perm", new long[] { 0, 2, 1, 3 }));
            x = graph.Node("Reshape", [perStep, toRows]);
        }
        return (x, finalHidden);
    }

    /// <summary>Both directions' matrices [G*H, cols] with their gate blocks reordered, stacked to [D, G*H, cols].</summary>
    private static float[] Stack(RecurrentLayer[] layers, Func<RecurrentLayer, float[]> matrix, int[] order, int h, int columns) =>
        [.. layers.SelectMany(layer => Reorder(matrix(layer), order, h, columns))];

    /// <summary>Gate blocks of <paramref name="h"/> rows of <paramref name="columns"/> values, in ONNX's order.</summary>
    private static IEnumerable<float> Reorder(float[] values, int[] order, int h, int columns) =>
        order.SelectMany(gate => values.Skip(gate * h * columns).Take(h * columns));
}
