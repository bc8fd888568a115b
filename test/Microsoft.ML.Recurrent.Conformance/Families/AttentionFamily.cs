using System.Text.Json;
using Microsoft.ML.Recurrent.Engine.Layers;

namespace Microsoft.ML.Recurrent.Conformance.Families;

/// <summary>
/// <c>attention</c>: one decoder step of masked attention (additive, general, dot, scaled dot): scores (0 at masked
/// positions), weights, context, and the gradients of sum(context * grad_context) + sum(weights * grad_weights)
/// with respect to the query, the keys and the score's parameters (named as the case names them).
/// </summary>
public sealed class AttentionFamily : IFamilyCheck
{
    /// <inheritdoc/>
    public string Family => "attention";

    /// <inheritdoc/>
    public void Run(JsonElement c, Comparison cmp)
    {
        string kind = Json.Get(c, "kind").GetString() ?? throw new InvalidDataException("The case has no kind.");
        AttentionScore score = kind switch
        {
            "additive" => AttentionScore.Additive,
            "general" => AttentionScore.General,
            "dot" => AttentionScore.Dot,
            "scaled_dot" or "scaled-dot" or "scaled" => AttentionScore.ScaledDot,
            _ => throw new InvalidDataException($"Unknown attention kind '{kind}'."),
        };
        int[] lengths = Json.Ints(Json.Get(c, "lengths"));
        RefTensor query = Json.Tensor(c, "query"), keys = Json.Tensor(c, "keys");
        int batch = query.Shape[0], querySize = query.Shape[1], sources = keys.Shape[1], keySize = keys.Shape[2];
        JsonElement parameters = Json.Get(c, "params");
        int attentionSize = score == AttentionScore.Additive ? Json.Tensor(parameters, "v").Shape[0] : 0;
        var attention = new Attention(score, querySize, keySize, attentionSize);
        foreach (var p in attention.Parameters) p.Load(Json.Tensor(parameters, ShortName(p.Name)).ToFloat());
        float[] scores = new float[batch * sources], weights = new float[batch * sources], context = new float[batch * keySize];
        attention.Forward(lengths, query.ToFloat(), keys.ToFloat(), scores, weights, context);
        cmp.Check("scores", scores, Json.Tensor(c, "scores").Data);
        cmp.Check("weights", weights, Json.Tensor(c, "weights").Data);
        cmp.Check("context", context, Json.Tensor(c, "context").Data);
        float[] dQuery = new float[batch * querySize], dKeys = new float[batch * sources * keySize];
        attention.Backward(Json.Tensor(c, "grad_context").ToFloat(), Json.Tensor(c, "grad_weights").ToFloat(), dQuery, dKeys);
        cmp.Check("grad_query", dQuery, Json.Tensor(c, "grad_query").Data);
        cmp.Check("grad_keys", dKeys, Json.Tensor(c, "grad_keys").Data);
        JsonElement gradients = Json.Get(c, "grad_params");
        foreach (var p in attention.Parameters) cmp.Check($"grad_params.{ShortName(p.Name)}", p.Gradient, Json.Tensor(gradients, ShortName(p.Name)).Data);
    }

    private static string ShortName(string name) => name["attention.".Length..];
}
