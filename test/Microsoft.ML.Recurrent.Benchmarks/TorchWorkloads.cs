using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Recurrent.Benchmarks;

/// <summary>TorchSharp's side of each workload, written the way a TorchSharp user would.</summary>
internal static class TorchWorkloads
{
    /// <summary>nn.LSTM / nn.GRU forward (and backward with input gradients), on a packed sequence when lengths differ.</summary>
    public static Action Recurrent(bool gru, int layers, bool bidirectional, int[] lengths, int input, int hidden, bool training)
    {
        manual_seed(1);
        int batch = lengths.Length, maxLength = lengths.Max();
        nn.Module rnn = gru ? nn.GRU(input, hidden, layers, bidirectional: bidirectional) : nn.LSTM(input, hidden, layers, bidirectional: bidirectional);
        Tensor x = rand(maxLength, batch, input).requires_grad_(training);
        bool packed = lengths.Distinct().Count() > 1;
        Tensor lengthTensor = tensor(lengths.Select(l => (long)l).ToArray());
        Tensor Run()
        {
            if (!packed) return gru ? ((TorchSharp.Modules.GRU)rnn).call(x, null).Item1 : ((TorchSharp.Modules.LSTM)rnn).call(x, null).Item1;
            var sequence = nn.utils.rnn.pack_padded_sequence(x, lengthTensor, false, false);
            return gru ? ((TorchSharp.Modules.GRU)rnn).call(sequence, null).Item1.data : ((TorchSharp.Modules.LSTM)rnn).call(sequence, null).Item1.data;
        }
        if (!training)
            return () =>
            {
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                Run();
            };
        return () =>
        {
            using var scope = NewDisposeScope();
            Tensor y = Run();
            y.backward([full_like(y, 0.01f)]);
            foreach (var p in rnn.parameters()) p.grad?.zero_();
            x.grad?.zero_();
        };
    }

    /// <summary>F.ctc_loss on log_softmax(logits) with summed reduction, forward and backward.</summary>
    public static Action Ctc(int frames, int batch, int classes, int targetLength)
    {
        var random = new Random(2);
        float[] values = Data.Uniform(batch * frames * classes, random);
        int[][] targets = Data.Targets(batch, targetLength, classes, random);
        // Ours is [B, T, C] row-major; torch wants [T, B, C].
        Tensor logits = tensor(values, [batch, frames, classes]).transpose(0, 1).contiguous().requires_grad_(true);
        Tensor target = tensor(targets.SelectMany(t => t).Select(v => (long)v).ToArray(), [batch, targetLength]);
        Tensor inputLengths = full(batch, frames, ScalarType.Int64), targetLengths = full(batch, targetLength, ScalarType.Int64);
        return () =>
        {
            using var scope = NewDisposeScope();
            Tensor loss = nn.functional.ctc_loss(logits.log_softmax(2), target, inputLengths, targetLengths, 0, false, nn.Reduction.Sum);
            loss.backward();
            logits.grad!.zero_();
        };
    }

    /// <summary>torch.mm of two n x n matrices.</summary>
    public static Action Sgemm(int n)
    {
        Tensor a = rand(n, n), b = rand(n, n);
        return () =>
        {
            using var scope = NewDisposeScope();
            mm(a, b);
        };
    }
}
