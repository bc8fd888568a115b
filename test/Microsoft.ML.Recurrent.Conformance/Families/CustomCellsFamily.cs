using System.Text.Json;
using Microsoft.ML.Recurrent.Engine.Cells;
using Microsoft.ML.Recurrent.Engine.Layers;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Conformance.Families;

/// <summary><c>custom_cells</c>: peephole LSTM, reset-before GRU and the Jordan network, one layer each.</summary>
public sealed class CustomCellsFamily : IFamilyCheck
{
    /// <inheritdoc/>
    public string Family => "custom_cells";

    /// <inheritdoc/>
    public void Run(JsonElement c, Comparison cmp)
    {
        string cell = Json.Get(c, "cell").GetString() ?? "";
        if (cell == "jordan") { RunJordan(c, cmp); return; }
        CellType type = cell switch
        {
            "lstm_peephole" => CellType.PeepholeLstm,
            "gru_reset_before" => CellType.GruResetBefore,
            "lstm" => CellType.Lstm,
            "gru" => CellType.Gru,
            "rnn_tanh" => CellType.ElmanTanh,
            "rnn_relu" => CellType.ElmanRelu,
            _ => throw new FormatException($"Unknown custom cell '{cell}'."),
        };
        int input = Json.Int(c, "input_size"), hidden = Json.Int(c, "hidden_size");
        var layer = new RecurrentLayer(type, input, hidden);
        ParameterIo.Load(layer.Parameters, Json.Get(c, "params"));
        var run = new PackedCase(c, "x", "lengths");
        float[] h0 = run.States(c, "h0", 1, hidden), c0 = layer.HasCellState ? run.States(c, "c0", 1, hidden) : [];
        float[] output = new float[run.Layout.TotalSteps * hidden], hN = new float[h0.Length], cN = new float[c0.Length];
        layer.Forward(run.Layout, run.Packed, h0, c0, output, hidden, hN, cN);
        cmp.Check("output", run.Unpack(output, hidden), Json.Tensor(c, "output").Data);
        cmp.Check("h_n", run.Unsort(hN, 1, hidden), Json.Tensor(c, "h_n").Data);
        if (layer.HasCellState) cmp.Check("c_n", run.Unsort(cN, 1, hidden), Json.Tensor(c, "c_n").Data);

        float[] dOut = run.PackTensor(Json.Tensor(c, "grad_output"), hidden);
        float[] dhN = run.States(c, "grad_h_n", 1, hidden), dcN = layer.HasCellState ? run.States(c, "grad_c_n", 1, hidden) : [];
        float[] dx = new float[run.Packed.Length], dh0 = new float[h0.Length], dc0 = new float[c0.Length];
        foreach (var p in layer.Parameters) p.ZeroGradient();
        layer.Backward(run.Layout, run.Packed, h0, c0, output, dOut, hidden, dhN, dcN, dx, accumulateInput: false, dh0, dc0);
        cmp.Check("grad_x", run.Unpack(dx, input), Json.Tensor(c, "grad_x").Data);
        cmp.Check("grad_h0", run.Unsort(dh0, 1, hidden), Json.Tensor(c, "grad_h0").Data);
        if (layer.HasCellState) cmp.Check("grad_c0", run.Unsort(dc0, 1, hidden), Json.Tensor(c, "grad_c0").Data);
        ParameterIo.CompareGradients(layer.Parameters, Json.Get(c, "grad_params"), cmp);
    }

    private static void RunJordan(JsonElement c, Comparison cmp)
    {
        int input = Json.Int(c, "input_size"), hidden = Json.Int(c, "hidden_size"), outSize = Json.Int(c, "output_size");
        var layer = new JordanLayer(input, hidden, outSize);
        ParameterIo.Load(layer.Parameters, Json.Get(c, "params"));
        var run = new PackedCase(c, "x", "lengths");
        float[] y0 = run.States(c, "y0", 1, outSize);
        float[] output = new float[run.Layout.TotalSteps * outSize], yN = new float[y0.Length];
        layer.Forward(run.Layout, run.Packed, y0, output, yN);
        cmp.Check("output", run.Unpack(output, outSize), Json.Tensor(c, "output").Data);
        cmp.Check("y_n", run.Unsort(yN, 1, outSize), Json.Tensor(c, "y_n").Data);

        float[] dOut = run.PackTensor(Json.Tensor(c, "grad_output"), outSize);
        float[] dyN = run.States(c, "grad_y_n", 1, outSize);
        float[] dx = new float[run.Packed.Length], dy0 = new float[y0.Length];
        foreach (var p in layer.Parameters) p.ZeroGradient();
        layer.Backward(run.Layout, run.Packed, y0, output, dOut, dyN, dx, dy0);
        cmp.Check("grad_x", run.Unpack(dx, input), Json.Tensor(c, "grad_x").Data);
        cmp.Check("grad_y0", run.Unsort(dy0, 1, outSize), Json.Tensor(c, "grad_y0").Data);
        ParameterIo.CompareGradients(layer.Parameters, Json.Get(c, "grad_params"), cmp);
    }
}
