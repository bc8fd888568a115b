using Microsoft.ML.Recurrent.Engine.Layers;
using Microsoft.ML.Recurrent.Sequences;

namespace Microsoft.ML.Recurrent.Onnx;

/// <summary>
/// A many-to-one model (<see cref="RecurrentSequenceTransformer"/>) as an ONNX graph. Inputs: <c>tokens</c> int64
/// [batch, time] (the key values ML.NET's <c>MapValueToKey</c> gives, padded with anything past each length) or
/// <c>frames</c> float [batch, time, F], and <c>lengths</c> int32 [batch, 1]. Outputs, as the transformer's columns:
/// binary <c>Score</c> (logit) [batch], <c>Probability</c> [batch] and <c>PredictedLabel</c> bool [batch]; multiclass
/// <c>Score</c> (class probabilities) [batch, K] and <c>PredictedLabel</c> int64 [batch] (1-based key); regression
/// <c>Score</c> [batch].
/// </summary>
internal static class SequenceModelOnnx
{
    public static byte[] Export(RecurrentSequenceTransformer model)
    {
        var graph = new OnnxGraph();
        var network = model.Network;
        // [batch, 1] rather than [batch]: ML.NET's ApplyOnnxModel feeds a scalar column as a [1, 1] tensor.
        string lengths = graph.Node("Reshape", [graph.Input("lengths", OnnxGraph.Int32, "batch", 1), graph.Constant("flat_lengths", [-1L], 1)]);
        string x;
        if (model.Features.IsTokens)
        {
            string tokens = graph.Input("tokens", OnnxGraph.Int64, "batch", "time");
            int vocabulary = model.Features.VocabularySize;
            // Keys past the vocabulary read as the unknown id 0, as the transformer reads them.
            string known = graph.Node("Less", [tokens, graph.Constant("vocabulary", [(long)vocabulary])]);
            string ids = graph.Node("Where", [known, tokens, graph.Constant("unknown", [0L])]);
            var embedding = network.Encoder.Embedding!;
            string table = graph.Constant("embedding", embedding.Weight.Value, vocabulary, embedding.Weight.Shape[1]);
            x = graph.Node("Transpose", [graph.Node("Gather", [table, ids])], null, ("perm", new long[] { 1, 0, 2 }));
        }
        else
        {
            string frames = graph.Input("frames", OnnxGraph.Float, "batch", "time", model.Features.FrameSize);
            x = graph.Node("Transpose", [frames], null, ("perm", new long[] { 1, 0, 2 }));
        }
        (string perStep, string finalHidden) = RecurrentOnnx.Add(graph, network.Recurrent, x, lengths);
        string features = Pool(graph, network.Architecture.Pooling, perStep, finalHidden, lengths);
        Dense head = network.Head;
        string logits = graph.Node("Gemm", [features, graph.Constant("head_weight", head.Weight.Value, head.OutputSize, head.InputSize), graph.Constant("head_bias", head.Bias.Value, head.OutputSize)],
            null, ("transB", 1L));
        string flat = graph.Constant("flat", [-1L], 1);
        switch (model.Objective)
        {
            case BinaryObjective:
                string score = graph.Node("Reshape", [logits, flat]);
                graph.Output(score, "Score", OnnxGraph.Float, "batch");
                graph.Output(graph.Node("Sigmoid", [score]), "Probability", OnnxGraph.Float, "batch");
                graph.Output(graph.Node("Greater", [score, graph.Constant("zero", [0f])]), "PredictedLabel", OnnxGraph.Bool, "batch");
                break;
            case MulticlassObjective multiclass:
                graph.Output(graph.Node("Softmax", [logits], null, ("axis", 1L)), "Score", OnnxGraph.Float, "batch", multiclass.ClassCount);
                string index = graph.Node("ArgMax", [logits], null, ("axis", 1L), ("keepdims", 0L));
                graph.Output(graph.Node("Add", [index, graph.Constant("one", [1L])]), "PredictedLabel", OnnxGraph.Int64, "batch");
                break;
            case RegressionObjective regression:
                string scaled = graph.Node("Add", [graph.Node("Mul", [graph.Node("Reshape", [logits, flat]), graph.Constant("label_scale", [regression.LabelScale])]), graph.Constant("label_mean", [regression.LabelMean])]);
                graph.Output(scaled, "Score", OnnxGraph.Float, "batch");
                break;
            default:
                throw new NotSupportedException($"The objective {model.Objective.GetType().Name} has no ONNX form.");
        }
        return OnnxModelWriter.Write(graph, "recurrent_sequence_model", $"{network.Architecture}; inputs {(model.Features.IsTokens ? "tokens" : "frames")} and lengths");
    }

    /// <summary>The pooled features [B, D*H]: the final states, or the mean or maximum over each sequence's valid steps.</summary>
    private static string Pool(OnnxGraph graph, SequencePooling pooling, string perStep, string finalHidden, string lengths)
    {
        if (pooling == SequencePooling.LastState)
        {
            // Y_h [D, B, H] holds the forward direction's state at each length's last step and the reverse one's at step 0: our LastState.
            string batchMajor = graph.Node("Transpose", [finalHidden], null, ("perm", new long[] { 1, 0, 2 }));
            return graph.Node("Reshape", [batchMajor, graph.Constant("batch_rows", [0L, -1L], 2)]);
        }
        string mask3 = graph.StepMask(perStep, 0, graph.Node("Cast", [lengths], null, ("to", (long)OnnxGraph.Int64)), timeFirst: true);   // [T, B, 1]
        if (pooling == SequencePooling.Max)
        {
            string masked = graph.Node("Where", [mask3, perStep, graph.Constant("lowest", [float.MinValue])]);
            return graph.Node("ReduceMax", [masked], null, ("axes", new long[] { 0 }), ("keepdims", 0L));
        }
        string sum = graph.Node("ReduceSum", [graph.Node("Mul", [perStep, graph.Node("Cast", [mask3], null, ("to", (long)OnnxGraph.Float))]), graph.Constant("axes0", [0L], 1)], null, ("keepdims", 0L));
        string count = graph.Node("Unsqueeze", [graph.Node("Cast", [lengths], null, ("to", (long)OnnxGraph.Float)), graph.Constant("axis1b", [1L], 1)]);
        return graph.Node("Div", [sum, count]);
    }
}
