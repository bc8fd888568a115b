using Microsoft.ML.Recurrent.Engine.Layers;
using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Tagging;

namespace Microsoft.ML.Recurrent.Onnx;

/// <summary>
/// A sequence tagger (<see cref="SequenceTaggingTransformer"/>) as an ONNX graph. Inputs: <c>tokens</c> int64 [batch,
/// time], each token's word id (1 + its line in the model's <c>words</c> metadata, matched lower-cased; 0 unknown);
/// with character features <c>characters</c> int64 [batch, time, chars], each character's id (1 + its place in the
/// <c>characters</c> metadata, 0 unknown), padded with -1; with casing features <c>casing</c> float [batch, time, 5]
/// (one-hot: lower, upper, capitalized, has a digit, other); and <c>lengths</c> int32 [batch, 1]. Outputs:
/// <c>Emissions</c> float [batch, time, K] and <c>PredictedLabel</c> int64 [batch, time], the 1-based tag keys of the
/// CRF's Viterbi path (within its BIO/BIOES constraints) or of each token's best softmax score (the <c>tags</c>
/// metadata names them); steps past each length are not meaningful.
/// </summary>
internal static class TaggerModelOnnx
{
    public static byte[] Export(SequenceTaggingTransformer model)
    {
        TaggerNetwork network = model.Network;
        TaggerArchitecture a = network.Architecture;
        var graph = new OnnxGraph();
        string lengths = graph.Node("Reshape", [graph.Input("lengths", OnnxGraph.Int32, "batch", 1), graph.Constant("flat_lengths", [-1L], 1)]);
        string lengths64 = graph.Node("Cast", [lengths], null, ("to", (long)OnnxGraph.Int64));
        string tokens = graph.Input("tokens", OnnxGraph.Int64, "batch", "time");
        var parts = new List<string> { graph.Node("Gather", [graph.Constant("words", network.Words.Weight.Value, a.VocabularySize, a.EmbeddingSize), Known(graph, tokens, a.VocabularySize, unknown: 0)]) };
        if (network.Characters is { } characters) parts.Add(CharacterFeatures(graph, characters, a));
        if (a.FeatureSize > 0) parts.Add(graph.Input("casing", OnnxGraph.Float, "batch", "time", a.FeatureSize));
        string joined = parts.Count == 1 ? parts[0] : graph.Node("Concat", [.. parts], null, ("axis", 2L));
        string x = graph.Node("Transpose", [joined], null, ("perm", new long[] { 1, 0, 2 }));
        (string perStep, _) = RecurrentOnnx.Add(graph, network.Recurrent, x, lengths);
        string emissions = DenseOnnx.Apply(graph, network.Head, perStep, "emission");   // [T, B, K]
        graph.Output(graph.Node("Transpose", [emissions], null, ("perm", new long[] { 1, 0, 2 })), "Emissions", OnnxGraph.Float, "batch", "time", a.TagCount);
        string path = network.Crf is { } crf
            ? CrfOnnx.Viterbi(graph, crf, emissions, lengths64)
            : graph.Node("ArgMax", [emissions], null, ("axis", 2L), ("keepdims", 0L));   // [T, B]
        string keys = graph.Node("Add", [graph.Node("Transpose", [path], null, ("perm", new long[] { 1, 0 })), graph.Constant("key_base", [1L])]);
        graph.Output(keys, "PredictedLabel", OnnxGraph.Int64, "batch", "time");
        var metadata = new Dictionary<string, string> { ["words"] = string.Join('\n', model.Columns.Words.Words), ["tags"] = string.Join('\n', model.TagNames) };
        if (model.Columns.Characters is { } vocabulary) metadata["characters"] = vocabulary.Characters;
        return OnnxModelWriter.Write(graph, "sequence_tagger", $"{a}; inputs tokens{(network.Characters is null ? "" : ", characters")}{(a.FeatureSize > 0 ? ", casing" : "")} and lengths", metadata);
    }

    /// <summary>
    /// Each token's character features [B, T, F]: the embeddings of its characters (padding reads a zero row, as the
    /// convolution's zero padding past a word's edge), a convolution over positions as a (1, k) kernel over the
    /// (time, character) plane, and the maximum over the token's own characters.
    /// </summary>
    private static string CharacterFeatures(OnnxGraph graph, CharacterCnn cnn, TaggerArchitecture a)
    {
        string chars = graph.Input("characters", OnnxGraph.Int64, "batch", "time", "chars");
        int v = a.CharacterVocabularySize, e = a.CharacterEmbeddingSize, f = cnn.OutputSize, kernel = cnn.Weight.Shape[2];
        float[] table = [.. cnn.Parameters[0].Value, .. new float[e]];   // row v: the padding
        string present = graph.Node("GreaterOrEqual", [chars, graph.Constant("no_char", [0L])]);   // [B, T, C]
        string ids = graph.Node("Where", [present, Known(graph, chars, v, unknown: 0), graph.Constant("padding_char", [(long)v])]);
        string embedded = graph.Node("Gather", [graph.Constant("char_embedding", table, v + 1, e), ids]);   // [B, T, C, E]
        string planes = graph.Node("Transpose", [embedded], null, ("perm", new long[] { 0, 3, 1, 2 }));   // [B, E, T, C]
        // Our weight [F, E, k, 1] has the memory order of [F, E, 1, k].
        string responses = graph.Node("Conv", [planes, graph.Constant("char_conv_weight", cnn.Weight.Value, f, e, 1, kernel), graph.Constant("char_conv_bias", cnn.Bias.Value, f)],
            null, ("kernel_shape", new long[] { 1, kernel }), ("pads", new long[] { 0, kernel / 2, 0, kernel / 2 }));   // [B, F, T, C]
        string mask = graph.Node("Unsqueeze", [present, graph.Constant("filter_axis", [1L], 1)]);
        string masked = graph.Node("Where", [mask, responses, graph.Constant("lowest", [-1e30f])]);
        string pooled = graph.Node("Transpose", [graph.Node("ReduceMax", [masked], null, ("axes", new long[] { 3 }), ("keepdims", 0L))], null, ("perm", new long[] { 0, 2, 1 }));   // [B, T, F]
        // A padding step has no characters: zeros rather than the mask's lowest value.
        string hasCharacters = graph.Node("ReduceMax", [graph.Node("Cast", [present], null, ("to", (long)OnnxGraph.Float))], null, ("axes", new long[] { 2 }), ("keepdims", 1L));
        return graph.Node("Mul", [pooled, hasCharacters]);
    }

    /// <summary>Ids outside [0, <paramref name="size"/>) read as <paramref name="unknown"/>, as the transformer reads them.</summary>
    private static string Known(OnnxGraph graph, string ids, int size, long unknown)
    {
        string inRange = graph.Node("And", [graph.Node("GreaterOrEqual", [ids, graph.Constant("zero_id", [0L])]), graph.Node("Less", [ids, graph.Constant("id_limit", [(long)size])])]);
        return graph.Node("Where", [inRange, ids, graph.Constant("unknown_id", [unknown])]);
    }
}
