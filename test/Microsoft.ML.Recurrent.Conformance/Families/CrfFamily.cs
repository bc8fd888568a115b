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
        int k = Json.Int(c, "num_tags");
        var crf = new LinearChainCrf(k);
        crf.Transitions.Load(Json.Tensor(c, "transitions").ToFloat());
        crf.StartTransitions.Load(Json.Tensor(c, "start_transitions").ToFloat());
        crf.EndTransitions.Load(Json.Tensor(c, "end_transitions").ToFloat());
        RefTensor emissions = Json.Tensor(c, "emissions");
        int batch = emissions.Shape[0], frames = emissions.Shape[1];
        int[] lengths = Json.Ints(Json.Get(c, "lengths"));
        int[][] tags = Json.IntLists(Json.Get(c, "tags")), paths = Json.IntLists(Json.Get(c, "viterbi_path"));
        double[] ll = Numbers(c, "log_likelihood"), logZ = Numbers(c, "log_partition"), viterbiScore = Numbers(c, "viterbi_score");
        RefTensor[] marginals = Json.Get(c, "marginals").EnumerateArray().Select(RefTensor.Read).ToArray();
        float[] em = emissions.ToFloat(), dEm = new float[em.Length];
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> e = em.AsSpan(b * frames * k, lengths[b] * k);
            cmp.Check("log_likelihood", b, crf.LogLikelihood(e, tags[b], 1f, dEm.AsSpan(b * frames * k, lengths[b] * k)), ll[b]);
            cmp.Check("log_partition", b, crf.LogPartition(e), logZ[b]);
            var (path, score) = crf.Viterbi(e);
            cmp.Exact($"viterbi_path[{b}]", path, paths[b]);
            cmp.Check("viterbi_score", b, score, viterbiScore[b]);
            float[] m = new float[e.Length];
            crf.Marginals(e, m);
            cmp.Check($"marginals[{b}]", m, marginals[b].Data);
        }
        cmp.Check("grad_emissions", dEm, Json.Tensor(c, "grad_emissions").Data);
        cmp.Check("grad_transitions", crf.Transitions.Gradient, Json.Tensor(c, "grad_transitions").Data);
        cmp.Check("grad_start_transitions", crf.StartTransitions.Gradient, Json.Tensor(c, "grad_start_transitions").Data);
        cmp.Check("grad_end_transitions", crf.EndTransitions.Gradient, Json.Tensor(c, "grad_end_transitions").Data);
    }

    private static double[] Numbers(JsonElement c, string name) => Json.Get(c, name).EnumerateArray().Select(Json.Number).ToArray();
}
