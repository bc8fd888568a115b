using Microsoft.ML.Recurrent.Engine.Models;

namespace Microsoft.ML.Recurrent.Onnx;

/// <summary>
/// A CTC speech recognizer's acoustic model (<see cref="SpeechRecognitionTransformer"/>) as an ONNX graph. Inputs:
/// <c>frames</c> float [batch, time, F] (the featurizer's output, padded with anything past each length) and
/// <c>lengths</c> int32 [batch, 1]. Outputs: <c>LogProbabilities</c> [batch, frames', C] (class 0 the blank, class c the
/// model's symbol c + 1, see <see cref="SpeechRecognitionTransformer.Symbols"/>; rows past each output length are not
/// meaningful), <c>OutputLengths</c> int64 [batch] and <c>BestPath</c> int64 [batch, frames'] (the greedy path per frame:
/// collapse repeats and drop blanks to read the transcript). The convolution reads frames zeroed past each length, as
/// the model sees an utterance alone.
/// </summary>
internal static class SpeechModelOnnx
{
    public static byte[] Export(SpeechRecognitionTransformer model)
    {
        AcousticNetwork network = model.Network;
        AcousticArchitecture a = network.Architecture;
        var graph = new OnnxGraph();
        string frames = graph.Input("frames", OnnxGraph.Float, "batch", "time", a.FeatureSize);
        string lengths = graph.Node("Reshape", [graph.Input("lengths", OnnxGraph.Int32, "batch", 1), graph.Constant("flat", [-1L], 1)]);
        string lengths64 = graph.Node("Cast", [lengths], null, ("to", (long)OnnxGraph.Int64));
        string x, outputLengths = lengths64;
        if (network.Convolution is { } conv)
        {
            // Zero the frames past each length: mask [B, T, 1] = t < length.
            string mask = graph.StepMask(frames, 1, lengths64, timeFirst: false);
            string masked = graph.Node("Mul", [frames, graph.Node("Cast", [mask], null, ("to", (long)OnnxGraph.Float))]);
            string planes = graph.Node("Unsqueeze", [masked, graph.Constant("channel_axis", [1L], 1)]);   // [B, 1, T, F]
            long[] pads = [conv.Padding.H, conv.Padding.W, conv.Padding.H, conv.Padding.W];
            string convolved = graph.Node("Conv", [planes, graph.Constant("conv_weight", conv.Weight.Value, conv.OutChannels, 1, conv.Kernel.H, conv.Kernel.W), graph.Constant("conv_bias", conv.Bias.Value, conv.OutChannels)],
                null, ("kernel_shape", new long[] { conv.Kernel.H, conv.Kernel.W }), ("strides", new long[] { conv.Stride.H, conv.Stride.W }), ("pads", pads));
            string clipped = graph.Node("Clip", [convolved, graph.Constant("floor", [0f]), graph.Constant("ceiling", [a.ClipCeiling])]);
            // [B, C, T', F'] -> [T', B, C, F'] -> [T', B, C*F'].
            string timeMajor = graph.Node("Transpose", [clipped], null, ("perm", new long[] { 2, 0, 1, 3 }));
            x = graph.Node("Reshape", [timeMajor, graph.Constant("rows_shape", [0L, 0L, -1L], 3)]);
            // T' = (T + 2 p - k) / s + 1 per utterance.
            string numerator = graph.Node("Add", [lengths64, graph.Constant("pad_minus_kernel", [(long)(2 * conv.Padding.H - conv.Kernel.H)])]);
            outputLengths = graph.Node("Add", [graph.Node("Div", [numerator, graph.Constant("stride", [(long)conv.Stride.H])]), graph.Constant("one", [1L])]);
        }
        else x = graph.Node("Transpose", [frames], null, ("perm", new long[] { 1, 0, 2 }));
        if (network.Normalization is { } norm)
        {
            // Inference batch norm: (x - mean) / sqrt(var + eps) * gamma + beta, per feature.
            float[] scale = new float[norm.Features], shift = new float[norm.Features];
            for (int f = 0; f < norm.Features; f++)
            {
                scale[f] = (float)(norm.Weight.Value[f] / Math.Sqrt(norm.RunningVariance[f] + (double)norm.Epsilon));
                shift[f] = norm.Bias.Value[f] - scale[f] * norm.RunningMean[f];
            }
            x = graph.Node("Add", [graph.Node("Mul", [x, graph.Constant("bn_scale", scale, norm.Features)]), graph.Constant("bn_shift", shift, norm.Features)]);
        }
        (string perStep, _) = RecurrentOnnx.Add(graph, network.Recurrent, x, graph.Node("Cast", [outputLengths], null, ("to", (long)OnnxGraph.Int32)));
        string logits = DenseOnnx.Apply(graph, network.Head, perStep, "output");
        string batchMajor = graph.Node("Transpose", [logits], null, ("perm", new long[] { 1, 0, 2 }));
        string logProbabilities = graph.Node("LogSoftmax", [batchMajor], null, ("axis", 2L));
        graph.Output(logProbabilities, "LogProbabilities", OnnxGraph.Float, "batch", "frames", a.ClassCount);
        graph.Output(outputLengths, "OutputLengths", OnnxGraph.Int64, "batch");
        graph.Output(graph.Node("ArgMax", [logProbabilities], null, ("axis", 2L), ("keepdims", 0L)), "BestPath", OnnxGraph.Int64, "batch", "frames");
        return OnnxModelWriter.Write(graph, "ctc_acoustic_model", $"{a}; inputs frames and lengths");
    }
}
