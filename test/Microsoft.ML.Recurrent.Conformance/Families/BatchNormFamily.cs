using System.Text.Json;
using Microsoft.ML.Recurrent.Engine.Layers;

namespace Microsoft.ML.Recurrent.Conformance.Families;

/// <summary>
/// <c>batchnorm</c>: sequence-wise batch normalization over the valid (b, t) positions of a padded [B, T, F] batch:
/// training output, running statistics after the update, inference output with them, and the gradients of
/// sum(output_train * grad_output_train) with respect to input, weight and bias. Padded positions stay zero.
/// </summary>
public sealed class BatchNormFamily : IFamilyCheck
{
    /// <inheritdoc/>
    public string Family => "batchnorm";

    /// <inheritdoc/>
    public void Run(JsonElement c, Comparison cmp)
    {
        RefTensor input = Json.Tensor(c, "input");
        int batch = input.Shape[0], steps = input.Shape[1], features = input.Shape[2];
        int[] lengths = Json.Ints(Json.Get(c, "lengths"));
        var norm = new SequenceBatchNorm(features, (float)Json.Number(Json.Get(c, "eps")), (float)Json.Number(Json.Get(c, "momentum")));
        norm.Weight.Load(Json.Tensor(c, "weight").ToFloat());
        norm.Bias.Load(Json.Tensor(c, "bias").ToFloat());
        Json.Tensor(c, "running_mean_before").ToFloat().CopyTo(norm.RunningMean, 0);
        Json.Tensor(c, "running_var_before").ToFloat().CopyTo(norm.RunningVariance, 0);
        // Pack the valid positions, batch-major (the statistics do not depend on the order).
        (int B, int T)[] rows = [.. Enumerable.Range(0, batch).SelectMany(b => Enumerable.Range(0, lengths[b]).Select(t => (b, t)))];
        float[] x = input.ToFloat(), packed = Pack(x, rows, steps, features), output = new float[packed.Length];
        norm.Forward(packed, output, training: true);
        cmp.Check("output_train", Unpack(output, rows, batch, steps, features), Json.Tensor(c, "output_train").Data);
        cmp.Check("running_mean_after", norm.RunningMean, Json.Tensor(c, "running_mean_after").Data);
        cmp.Check("running_var_after", norm.RunningVariance, Json.Tensor(c, "running_var_after").Data);
        float[] dInput = new float[packed.Length];
        norm.Backward(Pack(Json.Tensor(c, "grad_output_train").ToFloat(), rows, steps, features), dInput);
        cmp.Check("grad_input", Unpack(dInput, rows, batch, steps, features), Json.Tensor(c, "grad_input").Data);
        cmp.Check("grad_weight", norm.Weight.Gradient, Json.Tensor(c, "grad_weight").Data);
        cmp.Check("grad_bias", norm.Bias.Gradient, Json.Tensor(c, "grad_bias").Data);
        float[] inference = new float[packed.Length];
        norm.Forward(packed, inference, training: false);
        cmp.Check("output_eval", Unpack(inference, rows, batch, steps, features), Json.Tensor(c, "output_eval").Data);
    }

    private static float[] Pack(float[] padded, (int B, int T)[] rows, int steps, int features)
    {
        float[] packed = new float[rows.Length * features];
        for (int r = 0; r < rows.Length; r++) padded.AsSpan((rows[r].B * steps + rows[r].T) * features, features).CopyTo(packed.AsSpan(r * features, features));
        return packed;
    }

    private static float[] Unpack(float[] packed, (int B, int T)[] rows, int batch, int steps, int features)
    {
        float[] padded = new float[batch * steps * features];
        for (int r = 0; r < rows.Length; r++) packed.AsSpan(r * features, features).CopyTo(padded.AsSpan((rows[r].B * steps + rows[r].T) * features, features));
        return padded;
    }
}
