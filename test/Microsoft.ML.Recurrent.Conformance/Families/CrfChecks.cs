using System.Text.Json;
using Microsoft.ML.Recurrent.Engine.Losses;

namespace Microsoft.ML.Recurrent.Conformance.Families;

/// <summary>What the CRF families check alike: scores loaded into a CRF, then per sequence the log-likelihood, partition and Viterbi path and score, and the gradients over the batch.</summary>
internal static class CrfChecks
{
    /// <summary>A CRF of <paramref name="k"/> tags with the case's transition scores.</summary>
    public static LinearChainCrf Load(JsonElement c, int k, Engine.Decoding.TagConstraints? constraints = null)
    {
        var crf = new LinearChainCrf(k) { Constraints = constraints };
        crf.Transitions.Load(Json.Tensor(c, "transitions").ToFloat());
        crf.StartTransitions.Load(Json.Tensor(c, "start_transitions").ToFloat());
        crf.EndTransitions.Load(Json.Tensor(c, "end_transitions").ToFloat());
        return crf;
    }

    /// <summary>Runs the shared checks on <paramref name="crf"/> with the gold tags in <paramref name="goldName"/>; <paramref name="perSequence"/> adds a family's own checks of sequence b's emissions.</summary>
    public static void Run(JsonElement c, Comparison cmp, LinearChainCrf crf, string goldName, Action<int, ReadOnlySpan<float>> perSequence)
    {
        int k = crf.TagCount;
        RefTensor emissions = Json.Tensor(c, "emissions");
        int batch = emissions.Shape[0], frames = emissions.Shape[1];
        int[] lengths = Json.Ints(Json.Get(c, "lengths"));
        int[][] gold = Json.IntLists(Json.Get(c, goldName)), paths = Json.IntLists(Json.Get(c, "viterbi_path"));
        double[] ll = Numbers(c, "log_likelihood"), logZ = Numbers(c, "log_partition"), viterbiScore = Numbers(c, "viterbi_score");
        float[] em = emissions.ToFloat(), dEm = new float[em.Length];
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> e = em.AsSpan(b * frames * k, lengths[b] * k);
            cmp.Check("log_likelihood", b, crf.LogLikelihood(e, gold[b], 1f, dEm.AsSpan(b * frames * k, lengths[b] * k)), ll[b]);
            cmp.Check("log_partition", b, crf.LogPartition(e), logZ[b]);
            var (path, score) = crf.Viterbi(e);
            cmp.Exact($"viterbi_path[{b}]", path, paths[b]);
            cmp.Check("viterbi_score", b, score, viterbiScore[b]);
            perSequence(b, e);
        }
        cmp.Check("grad_emissions", dEm, Json.Tensor(c, "grad_emissions").Data);
        cmp.Check("grad_transitions", crf.Transitions.Gradient, Json.Tensor(c, "grad_transitions").Data);
        cmp.Check("grad_start_transitions", crf.StartTransitions.Gradient, Json.Tensor(c, "grad_start_transitions").Data);
        cmp.Check("grad_end_transitions", crf.EndTransitions.Gradient, Json.Tensor(c, "grad_end_transitions").Data);
    }

    private static double[] Numbers(JsonElement c, string name) => Json.Get(c, name).EnumerateArray().Select(Json.Number).ToArray();
}
