using System.Text.Json;
using Microsoft.ML.Recurrent.Engine.Decoding;
using Microsoft.ML.Recurrent.Engine.Losses;

namespace Microsoft.ML.Recurrent.Conformance.Families;

/// <summary>
/// <c>ctc_map</c>: the exact most probable labeling and the top 5 (found by enumeration in the
/// reference) against our prefix beam search, and the greedy labeling with its exact probability.
/// </summary>
public sealed class CtcMapFamily : IFamilyCheck
{
    /// <summary>Beam width used for the search.</summary>
    public const int BeamWidth = 256;

    /// <inheritdoc/>
    public string Family => "ctc_map";

    /// <inheritdoc/>
    public void Run(JsonElement c, Comparison cmp)
    {
        RefTensor logProbs = Json.Tensor(c, "log_probs");
        int classes = logProbs.Shape[1], blank = Json.Int(c, "blank");
        float[] lp = logProbs.ToFloat();

        int[] greedy = CtcDecoder.Greedy(lp, classes, blank);
        cmp.Exact("greedy_labeling", greedy, Json.Ints(Json.Get(c, "greedy_labeling")));
        cmp.Check("greedy_labeling_log_prob", 0, CtcLoss.LogProbability(lp, classes, greedy, blank), Json.Number(Json.Get(c, "greedy_labeling_log_prob")));

        IReadOnlyList<CtcHypothesis> beam = CtcDecoder.BeamSearch(lp, classes, blank, BeamWidth);
        cmp.Exact("map_labeling", beam[0].Labels, Json.Ints(Json.Get(c, "map_labeling")));
        cmp.Check("map_log_prob", 0, beam[0].LogScore, Json.Number(Json.Get(c, "map_log_prob")));
        var top = Json.Get(c, "top5").EnumerateArray().ToArray();
        for (int i = 0; i < top.Length; i++)
        {
            if (i >= beam.Count) { cmp.Fail($"top5[{i}]: the beam holds only {beam.Count} hypotheses"); break; }
            cmp.Exact($"top5[{i}].labeling", beam[i].Labels, Json.Ints(Json.Get(top[i], "labeling")));
            cmp.Check($"top5[{i}].log_prob", 0, beam[i].LogScore, Json.Number(Json.Get(top[i], "log_prob")));
        }
    }
}
