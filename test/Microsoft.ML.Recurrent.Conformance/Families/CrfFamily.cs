using System.Text.Json;
using Microsoft.ML.Recurrent.Engine.Losses;

namespace Microsoft.ML.Recurrent.Conformance.Families;

/// <summary><c>crf</c>: log-likelihood, log-partition, Viterbi path and score, marginals and gradients.</summary>
public sealed class CrfFamily : IFamilyCheck
{
    /// <inheritdoc/>
    public string Family => "crf";

    /// <inheritdoc/>
    public void Run(JsonElement c, Comparison cmp)
    {
        LinearChainCrf crf = CrfChecks.Load(c, Json.Int(c, "num_tags"));
        RefTensor[] marginals = Json.Get(c, "marginals").EnumerateArray().Select(RefTensor.Read).ToArray();
        CrfChecks.Run(c, cmp, crf, "tags", (b, e) =>
        {
            float[] m = new float[e.Length];
            crf.Marginals(e, m);
            cmp.Check($"marginals[{b}]", m, marginals[b].Data);
        });
    }
}
