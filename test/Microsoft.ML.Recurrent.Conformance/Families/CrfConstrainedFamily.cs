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
        LinearChainCrf Crf(TagConstraints? with)
        {
            var crf = new LinearChainCrf(k) { Constraints = with };
            crf.Transitions.Load(Json.Tensor(c, "transitions").ToFloat());
            crf.StartTransitions.Load(Json.Tensor(c, "start_transitions").ToFloat());
            crf.EndTransitions.Load(Json.Tensor(c, "end_transitions").ToFloat());
            return crf;
        }
        LinearChainCrf constrained = Crf(constraints), free = Crf(null);
        RefTensor emissions = Json.Tensor(c, "emissions");
        int batch = emissions.Shape[0], frames = emissions.Shape[1];
        int[] lengths = Json.Ints(Json.Get(c, "lengths"));
        int[][] gold = Json.IntLists(Json.Get(c, "gold_tags")), paths = Json.IntLists(Json.Get(c, "viterbi_path")), freePaths = Json.IntLists(Json.Get(c, "unconstrained_viterbi_path"));
        double[] ll = Numbers(c, "log_likelihood"), logZ = Numbers(c, "log_partition"), viterbiScore = Numbers(c, "viterbi_score");
        float[] em = emissions.ToFloat(), dEm = new float[em.Length];
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> e = em.AsSpan(b * frames * k, lengths[b] * k);
            cmp.Check("log_likelihood", b, constrained.LogLikelihood(e, gold[b], 1f, dEm.AsSpan(b * frames * k, lengths[b] * k)), ll[b]);
            cmp.Check("log_partition", b, constrained.LogPartition(e), logZ[b]);
            var (path, score) = constrained.Viterbi(e);
            cmp.Exact($"viterbi_path[{b}]", path, paths[b]);
            cmp.Check("viterbi_score", b, score, viterbiScore[b]);
            cmp.Exact($"unconstrained_viterbi_path[{b}]", free.Viterbi(e).Path, freePaths[b]);
        }
        cmp.Check("grad_emissions", dEm, Json.Tensor(c, "grad_emissions").Data);
        cmp.Check("grad_transitions", constrained.Transitions.Gradient, Json.Tensor(c, "grad_transitions").Data);
        cmp.Check("grad_start_transitions", constrained.StartTransitions.Gradient, Json.Tensor(c, "grad_start_transitions").Data);
        cmp.Check("grad_end_transitions", constrained.EndTransitions.Gradient, Json.Tensor(c, "grad_end_transitions").Data);
    }

    private static bool[][] Bools(JsonElement c, string name) =>
        [.. Json.Get(c, name).EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().Select(x => x.GetBoolean()).ToArray() : [e.GetBoolean()])];

    private static double[] Numbers(JsonElement c, string name) => Json.Get(c, name).EnumerateArray().Select(Json.Number).ToArray();
}
