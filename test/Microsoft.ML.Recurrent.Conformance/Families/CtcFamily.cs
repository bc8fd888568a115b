using System.Text.Json;
using Microsoft.ML.Recurrent.Engine.Losses;

namespace Microsoft.ML.Recurrent.Conformance.Families;

/// <summary><c>ctc</c>: per-sequence CTC loss and its gradient with respect to the logits.</summary>
public sealed class CtcFamily : IFamilyCheck
{
    /// <inheritdoc/>
    public string Family => "ctc";

    /// <inheritdoc/>
    public void Run(JsonElement c, Comparison cmp)
    {
        RefTensor logits = Json.Tensor(c, "logits");
        int batch = logits.Shape[0], frames = logits.Shape[1], classes = logits.Shape[2];
        int blank = Json.Int(c, "blank");
        bool zeroInfinity = Json.Bool(c, "zero_infinity");
        int[] inputLengths = Json.Ints(Json.Get(c, "input_lengths"));
        int[][] targets = Json.IntLists(Json.Get(c, "targets"));
        double[] expectedLoss = Json.Get(c, "loss").EnumerateArray().Select(Json.Number).ToArray();
        float[] all = logits.ToFloat(), gradient = new float[all.Length];
        for (int b = 0; b < batch; b++)
        {
            int length = inputLengths[b];
            double loss = CtcLoss.Compute(all.AsSpan(b * frames * classes, length * classes), classes, targets[b], blank, zeroInfinity,
                gradient.AsSpan(b * frames * classes, length * classes));
            cmp.Check("loss", b, loss, expectedLoss[b]);
        }
        cmp.Check("grad_logits", gradient, Json.Tensor(c, "grad_logits").Data);
    }
}
