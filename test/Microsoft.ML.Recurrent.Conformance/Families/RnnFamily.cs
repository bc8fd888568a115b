using System.Text.Json;
using Microsoft.ML.Recurrent.Engine.Cells;
using Microsoft.ML.Recurrent.Engine.Layers;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Conformance.Families;

/// <summary>
/// <c>rnn</c>: PyTorch nn.LSTM / nn.GRU / nn.RNN (tanh, relu), uni- or bidirectional, stacked,
/// variable lengths; forward values, final states and every gradient.
/// </summary>
public sealed class RnnFamily : IFamilyCheck
{
    /// <inheritdoc/>
    public string Family => "rnn";

    /// <inheritdoc/>
    public void Run(JsonElement c, Comparison cmp)
    {
        CellType cell = Json.Get(c, "cell").GetString() switch
        {
            "lstm" => CellType.Lstm,
            "gru" => CellType.Gru,
            "rnn_tanh" => CellType.ElmanTanh,
            "rnn_relu" => CellType.ElmanRelu,
            var other => throw new FormatException($"Unknown cell '{other}'."),
        };
        Run(c, cmp, cell, Json.Int(c, "num_layers"), Json.Bool(c, "bidirectional"), name => name);
    }

    /// <summary>
    /// Runs a network case: forward values and final states, then every gradient. States in the
    /// case may be [L*D, B, H] or, for one layer and direction, [B, H] (same data).
    /// </summary>
    /// <param name="c">The case.</param>
    /// <param name="cmp">Where comparisons are recorded.</param>
    /// <param name="cell">Cell type.</param>
    /// <param name="layers">L.</param>
    /// <param name="bidirectional">Whether D = 2.</param>
    /// <param name="referenceName">Maps an engine parameter name to the case's name.</param>
    internal static void Run(JsonElement c, Comparison cmp, CellType cell, int layers, bool bidirectional, Func<string, string> referenceName)
    {
        int input = Json.Int(c, "input_size"), hidden = Json.Int(c, "hidden_size");
        var net = new RecurrentNetwork(cell, input, hidden, layers, bidirectional);
        ParameterIo.Load(net.Parameters, Json.Get(c, "params"), referenceName);
        var run = new PackedCase(c, "x", "lengths");
        int slots = layers * net.Directions;

        float[] h0 = run.States(c, "h0", slots, hidden), c0 = net.HasCellState ? run.States(c, "c0", slots, hidden) : [];
        float[] output = new float[run.Layout.TotalSteps * net.OutputSize];
        float[] hN = new float[h0.Length], cN = new float[c0.Length];
        net.Forward(run.Layout, run.Packed, h0, c0, output, hN, cN);
        cmp.Check("output", run.Unpack(output, net.OutputSize), Json.Tensor(c, "output").Data);
        cmp.Check("h_n", run.Unsort(hN, slots, hidden), Json.Tensor(c, "h_n").Data);
        if (net.HasCellState) cmp.Check("c_n", run.Unsort(cN, slots, hidden), Json.Tensor(c, "c_n").Data);

        float[] dOut = run.PackTensor(Json.Tensor(c, "grad_output"), net.OutputSize);
        float[] dhN = run.States(c, "grad_h_n", slots, hidden), dcN = net.HasCellState ? run.States(c, "grad_c_n", slots, hidden) : [];
        float[] dx = new float[run.Packed.Length], dh0 = new float[h0.Length], dc0 = new float[c0.Length];
        foreach (var p in net.Parameters) p.ZeroGradient();
        net.Backward(run.Layout, run.Packed, h0, c0, output, dOut, dhN, dcN, dx, dh0, dc0);
        cmp.Check("grad_x", run.Unpack(dx, input), Json.Tensor(c, "grad_x").Data);
        cmp.Check("grad_h0", run.Unsort(dh0, slots, hidden), Json.Tensor(c, "grad_h0").Data);
        if (net.HasCellState) cmp.Check("grad_c0", run.Unsort(dc0, slots, hidden), Json.Tensor(c, "grad_c0").Data);
        ParameterIo.CompareGradients(net.Parameters, Json.Get(c, "grad_params"), cmp, referenceName);
    }
}
