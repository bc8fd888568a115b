using Microsoft.ML.Recurrent.Engine.Decoding;
using Microsoft.ML.Recurrent.Engine.Losses;

namespace Microsoft.ML.Recurrent.Onnx;

/// <summary>
/// A linear-chain CRF's Viterbi decoding as two ONNX <c>Loop</c>s over time: the forward one carries the best score of
/// each tag [B, K] and scans out the back-pointers [T - 1, B, K]; the backward one follows them from the best final tag.
/// Forbidden transitions, starts and ends (BIO/BIOES constraints) are negative infinity. Past a sequence's length the
/// score is held and the back-pointer is the identity, so each sequence ends at its own last step; the tags past it
/// repeat the last one and are not meaningful.
/// </summary>
internal static class CrfOnnx
{
    /// <summary>The best tag path [T, B] (int64) of time-major emissions [T, B, K] with int64 lengths [B].</summary>
    public static string Viterbi(OnnxGraph graph, LinearChainCrf crf, string emissions, string lengths64)
    {
        int k = crf.TagCount;
        TagConstraints? c = crf.Constraints;
        float[] transitions = [.. crf.Transitions.Value.Select((v, i) => c is null || c.CanFollow(i / k, i % k) ? v : float.NegativeInfinity)];
        float[] start = [.. crf.StartTransitions.Value.Select((v, j) => c is null || c.CanStart(j) ? v : float.NegativeInfinity)];
        float[] end = [.. crf.EndTransitions.Value.Select((v, j) => c is null || c.CanEnd(j) ? v : float.NegativeInfinity)];
        string trans = graph.Constant("crf_transitions", transitions, 1, k, k);
        string axis0 = graph.Constant("axis0", [0L], 1), axis1 = graph.Constant("axis1", [1L], 1), axis2 = graph.Constant("axis2", [2L], 1), one = graph.Constant("one", [1L]);
        string identity = graph.Constant("identity_pointers", [.. Enumerable.Range(0, k).Select(j => (long)j)], 1, k);
        string steps = graph.Node("Squeeze", [graph.Node("Gather", [graph.Node("Shape", [emissions]), axis0])]);
        string trips = graph.Node("Sub", [steps, one]);
        string first = graph.Node("Gather", [emissions, graph.Constant("zero_index", [0L])], null, ("axis", 0L));
        string score0 = graph.Node("Add", [first, graph.Constant("crf_start", start, 1, k)]);

        // Forward: score_t[b, j] = max_i score_{t-1}[b, i] + trans[i, j] + emission_t[b, j], with its arg-max.
        OnnxGraph forward = graph.Subgraph();
        string iteration = forward.Input(forward.Name("t"), OnnxGraph.Int64), condition = forward.Input(forward.Name("cond"), OnnxGraph.Bool);
        string scoreIn = forward.Input(forward.Name("score"), OnnxGraph.Float, "batch", k);
        string t = forward.Node("Add", [iteration, one]);
        string emission = forward.Node("Unsqueeze", [forward.Node("Squeeze", [forward.Node("Gather", [emissions, forward.Node("Unsqueeze", [t, axis0])], null, ("axis", 0L)), axis0]), axis1]);
        string candidates = forward.Node("Add", [forward.Node("Add", [forward.Node("Unsqueeze", [scoreIn, axis2]), trans]), emission]);   // [B, K(from), K(to)]
        string best = forward.Node("ReduceMax", [candidates], null, ("axes", new long[] { 1 }), ("keepdims", 0L));
        string pointers = forward.Node("ArgMax", [candidates], null, ("axis", 1L), ("keepdims", 0L));
        string active = forward.Node("Unsqueeze", [forward.Node("Less", [t, lengths64]), axis1]);   // [B, 1]
        forward.Output(forward.Node("Identity", [condition]), forward.Name("cond_out"), OnnxGraph.Bool);
        forward.Output(forward.Node("Where", [active, best, scoreIn]), forward.Name("score_out"), OnnxGraph.Float, "batch", k);
        forward.Output(forward.Node("Where", [active, pointers, identity]), forward.Name("pointers_out"), OnnxGraph.Int64, "batch", k);
        string finalScore = graph.Name("final_score"), allPointers = graph.Name("pointers");
        graph.Node("Loop", [trips, "", score0], [finalScore, allPointers], ("body", forward));
        string last = graph.Node("ArgMax", [graph.Node("Add", [finalScore, graph.Constant("crf_end", end, 1, k)])], null, ("axis", 1L), ("keepdims", 0L));   // [B]

        // Backward: tag_{t-1} = pointers_t[b, tag_t], for t from T - 1 down to 1.
        OnnxGraph backward = graph.Subgraph();
        string back = backward.Input(backward.Name("i"), OnnxGraph.Int64), backCondition = backward.Input(backward.Name("cond"), OnnxGraph.Bool);
        string tagIn = backward.Input(backward.Name("tag"), OnnxGraph.Int64, "batch");
        string index = backward.Node("Sub", [backward.Node("Sub", [trips, back]), one]);   // pointers of step t are at t - 1
        string stepPointers = backward.Node("Squeeze", [backward.Node("Gather", [allPointers, backward.Node("Unsqueeze", [index, axis0])], null, ("axis", 0L)), axis0]);
        string previous = backward.Node("Squeeze", [backward.Node("GatherElements", [stepPointers, backward.Node("Unsqueeze", [tagIn, axis1])], null, ("axis", 1L)), axis1]);
        backward.Output(backward.Node("Identity", [backCondition]), backward.Name("cond_out"), OnnxGraph.Bool);
        backward.Output(previous, backward.Name("tag_out"), OnnxGraph.Int64, "batch");
        backward.Output(backward.Node("Identity", [previous]), backward.Name("tag_scan"), OnnxGraph.Int64, "batch");
        string firstTag = graph.Name("first_tag"), earlier = graph.Name("earlier_tags");
        graph.Node("Loop", [trips, "", last], [firstTag, earlier], ("body", backward));
        // The scan holds steps T - 2 down to 0: reversed, then the last step's tag.
        string ordered = graph.Node("Slice", [earlier, graph.Constant("from_end", [-1L], 1), graph.Constant("to_start", [long.MinValue], 1), axis0, graph.Constant("backwards", [-1L], 1)]);
        return graph.Node("Concat", [ordered, graph.Node("Unsqueeze", [last, axis0])], null, ("axis", 0L));
    }
}
