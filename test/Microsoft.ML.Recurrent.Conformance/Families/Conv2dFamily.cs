using System.Text.Json;
using Microsoft.ML.Recurrent.Engine.Layers;

namespace Microsoft.ML.Recurrent.Conformance.Families;

/// <summary>
/// <c>conv2d</c>: the Deep Speech 2 front end, a strided, zero-padded <c>conv2d</c> over [B, C_in, H (time), W
/// (frequency)] followed by the clipped ReLU min(max(x, 0), 20), and the gradients of
/// sum(clipped_relu_output * grad_clipped_relu_output) with respect to input, weight and bias.
/// </summary>
public sealed class Conv2dFamily : IFamilyCheck
{
    /// <inheritdoc/>
    public string Family => "conv2d";

    /// <inheritdoc/>
    public void Run(JsonElement c, Comparison cmp)
    {
        RefTensor input = Json.Tensor(c, "input"), weight = Json.Tensor(c, "weight");
        int batch = input.Shape[0], inChannels = input.Shape[1], height = input.Shape[2], width = input.Shape[3];
        int[] stride = Json.Ints(Json.Get(c, "stride")), padding = Json.Ints(Json.Get(c, "padding"));
        var conv = new Conv2d(inChannels, weight.Shape[0], (weight.Shape[2], weight.Shape[3]), (stride[0], stride[1]), (padding[0], padding[1]));
        conv.Weight.Load(weight.ToFloat());
        conv.Bias.Load(Json.Tensor(c, "bias").ToFloat());
        (int outHeight, int outWidth) = conv.OutputSize(height, width);
        int inSize = inChannels * height * width, outSize = conv.OutChannels * outHeight * outWidth;
        float[] x = input.ToFloat(), gradClipped = Json.Tensor(c, "grad_clipped_relu_output").ToFloat();
        float[] output = new float[batch * outSize], clipped = new float[batch * outSize], dInput = new float[x.Length], dOutput = new float[batch * outSize];
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> xb = x.AsSpan(b * inSize, inSize);
            Span<float> yb = output.AsSpan(b * outSize, outSize);
            conv.Forward(xb, height, width, yb);
            ClippedRelu.Forward(yb, clipped.AsSpan(b * outSize, outSize));
            ClippedRelu.Backward(yb, gradClipped.AsSpan(b * outSize, outSize), dOutput.AsSpan(b * outSize, outSize));
            conv.Backward(xb, height, width, dOutput.AsSpan(b * outSize, outSize), dInput.AsSpan(b * inSize, inSize));
        }
        cmp.Check("output", output, Json.Tensor(c, "output").Data);
        cmp.Check("clipped_relu_output", clipped, Json.Tensor(c, "clipped_relu_output").Data);
        cmp.Check("grad_input", dInput, Json.Tensor(c, "grad_input").Data);
        cmp.Check("grad_weight", conv.Weight.Gradient, Json.Tensor(c, "grad_weight").Data);
        cmp.Check("grad_bias", conv.Bias.Gradient, Json.Tensor(c, "grad_bias").Data);
    }
}
