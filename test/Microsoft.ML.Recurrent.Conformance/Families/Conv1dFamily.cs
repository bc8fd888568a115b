using System.Text.Json;
using Microsoft.ML.Recurrent.Engine.Layers;

namespace Microsoft.ML.Recurrent.Conformance.Families;

/// <summary>
/// <c>conv1d</c>: a character convolution as the tagger's character features use it: <c>conv1d</c> over
/// [B, C_in, L] with stride and zero padding, max over positions, and the gradients of
/// sum(output * grad_output) + sum(max * grad_max) with respect to input, weight and bias.
/// </summary>
public sealed class Conv1dFamily : IFamilyCheck
{
    /// <inheritdoc/>
    public string Family => "conv1d";

    /// <inheritdoc/>
    public void Run(JsonElement c, Comparison cmp)
    {
        RefTensor input = Json.Tensor(c, "input"), weight = Json.Tensor(c, "weight");
        int batch = input.Shape[0], inChannels = input.Shape[1], length = input.Shape[2];
        int outChannels = weight.Shape[0], kernel = weight.Shape[2];
        var conv = new Conv1d(inChannels, outChannels, kernel, Json.Int(c, "stride"), Json.Int(c, "padding"));
        conv.Weight.Load(weight.ToFloat());
        conv.Bias.Load(Json.Tensor(c, "bias").ToFloat());
        int outLength = conv.OutputLength(length);
        float[] x = input.ToFloat(), gradOutput = Json.Tensor(c, "grad_output").ToFloat(), gradMax = Json.Tensor(c, "grad_max_over_time").ToFloat();
        float[] output = new float[batch * outChannels * outLength], pooled = new float[batch * outChannels], dInput = new float[x.Length];
        var max = new MaxOverTime();
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> xb = x.AsSpan(b * inChannels * length, inChannels * length);
            Span<float> yb = output.AsSpan(b * outChannels * outLength, outChannels * outLength);
            conv.Forward(xb, length, yb);
            max.Forward(yb, outLength, pooled.AsSpan(b * outChannels, outChannels));
            float[] dy = gradOutput.AsSpan(b * outChannels * outLength, outChannels * outLength).ToArray();
            max.Backward(gradMax.AsSpan(b * outChannels, outChannels), outLength, dy);
            conv.Backward(xb, length, dy, dInput.AsSpan(b * inChannels * length, inChannels * length));
        }
        cmp.Check("output", output, Json.Tensor(c, "output").Data);
        cmp.Check("max_over_time", pooled, Json.Tensor(c, "max_over_time").Data);
        cmp.Check("grad_input", dInput, Json.Tensor(c, "grad_input").Data);
        cmp.Check("grad_weight", conv.Weight.Gradient, Json.Tensor(c, "grad_weight").Data);
        cmp.Check("grad_bias", conv.Bias.Gradient, Json.Tensor(c, "grad_bias").Data);
    }
}
