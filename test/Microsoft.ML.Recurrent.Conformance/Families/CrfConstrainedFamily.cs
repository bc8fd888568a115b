using System.Text.Json;
using Microsoft.ML.Recurrent.Engine.Decoding;
using Microsoft.ML.Recurrent.Engine.Losses;

namespace Microsoft.ML.Recurrent.Conformance.Families;

/// <summary>
/// <c>crf_constrained</c>: a CRF restricted to valid BIO/BIOES sequences (built from the tag names and the
/// scheme, and checked against the case's allowed start/transition/end tables): log-likelihood, partition,
/// constrained and unconstrained Viterbi, gradients.
/// </summary>
public sealed class CrfConstrainedFamily : IFamilyCheck
{
    /// <inheritdoc/>
    public string Family => "crf_constrained";

    /// <inheritdoc/>
    public void Run(JsonElement c, Comparison cmp)
    {
        string[] tags = [.. Json.Get(c, "tags").EnumerateArray().Select(t => t.GetString()!)];
        string scheme = Json.Get(c, "scheme").GetString()!;
        TagConstraints constraints = scheme switch
        {
            "BIO" => TagConstraints.Bio(tags),
            "BIOES" => TagConstraints.Bioes(tags),
            _ => throw new FormatException($"Unknown tag scheme '{scheme}'."),
        };
        int k = tags.Length;
        bool[][] allowed = Bools(c, "allowed_transitions");
        bool[] start = Bools(c, "allowed_start").Select(r => r[0]).ToArray(), end = Bools(c, "allowed_end").Select(r => r[0]).ToArray();
        for (int i = 0; i < k; i++)
        {
            cmp.Exact($"allowed_start[{i}]", [constraints.CanStart(i) ? 1 : 0], [start[i] ? 1 : 0]);
            cmp.Exact($"allowed_end[{i}]", [constraints.CanEnd(i) ? 1 : 0], [end[i] ? 1 : 0]);
            cmp.Exact($"allowed_transitions[{i}]", [.. Enumerable.Range(0, k).Select(j => constraints.CanFollow(i, j) ? 1 : 0)], [.. allowed[i].Select(a => a ? 1 : 0)]);
        }
        LinearChainCrf constrained = CrfChecks.Load(c, k, constraints), free = CrfChecks.Load(c, k);
        int[][] freePaths = Json.IntLists(Json.Get(c, "unconstrained_viterbi_path"));
        CrfChecks.Run(c, cmp, constrained, "gold_tags", (b, e) => cmp.Exact($"unconstrained_viterbi_path[{b}]", free.Viterbi(e).Path, freePaths[b]));
    }

    private static bool[][] Bools(JsonElement c, string name) =>
        [.. Json.Get(c, name).EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().Select(x => x.GetBoolean()).ToArray() : [e.GetBoolean()])];
}
