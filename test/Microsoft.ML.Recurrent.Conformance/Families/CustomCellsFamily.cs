using System.Text.Json;
using Microsoft.ML.Recurrent.Engine.Cells;
using Microsoft.ML.Recurrent.Engine.Layers;

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
        // A single unidirectional layer: the network's names carry an "_l0" suffix the case omits.
        RnnFamily.Run(c, cmp, type, layers: 1, bidirectional: false, name => name.EndsWith("_l0", StringComparison.Ordinal) ? name[..^3] : name);
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
