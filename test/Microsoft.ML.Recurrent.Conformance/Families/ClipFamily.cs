using System.Text.Json;
using Microsoft.ML.Recurrent.Engine.Tensors;
using Microsoft.ML.Recurrent.Engine.Training;

namespace Microsoft.ML.Recurrent.Conformance.Families;

/// <summary><c>clip</c>: clip_grad_norm_ over several tensors (total norm and clipped gradients).</summary>
public sealed class ClipFamily : IFamilyCheck
{
    /// <inheritdoc/>
    public string Family => "clip";

    /// <inheritdoc/>
    public void Run(JsonElement c, Comparison cmp)
    {
        RefTensor[] before = Json.Get(c, "grads_before").EnumerateArray().Select(RefTensor.Read).ToArray();
        RefTensor[] after = Json.Get(c, "grads_after").EnumerateArray().Select(RefTensor.Read).ToArray();
        var parameters = before.Select((t, i) => { var p = new Parameter($"p{i}", t.Shape); t.ToFloat().CopyTo(p.Gradient, 0); return p; }).ToArray();
        double norm = GradientClipping.ClipByGlobalNorm(parameters, Json.Number(Json.Get(c, "max_norm")));
        cmp.Check("total_norm", 0, norm, Json.Number(Json.Get(c, "total_norm")));
        for (int i = 0; i < parameters.Length; i++) cmp.Check($"grads_after[{i}]", parameters[i].Gradient, after[i].Data);
    }
}
