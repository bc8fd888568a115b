using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Recurrent.Benchmarks;

/// <summary>TorchSharp's side of each workload, written the way a TorchSharp user would.</summary>
internal static partial class TorchWorkloads
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

    /// <summary>
    /// One BiLSTM-CRF training step as a TorchSharp user writes it: nn.Embedding for words and characters
    /// (words' characters padded), nn.Conv1d and max over positions, nn.LSTM (bidirectional, batch first),
    /// nn.Linear emissions, the CRF forward algorithm and gold-path score in tensor ops, backward, Adam.
    /// </summary>
    public static Action TaggerStep(int batch, int length, int vocabulary, int characters, int tags, int hidden)
    {
        manual_seed(1);
        (int[] words, int[][] wordChars, int[] gold) = Data.Sentences(batch, length, vocabulary, characters, tags, seed: 5);
        int longest = wordChars.Max(c => c.Length);
        long[] padded = new long[wordChars.Length * longest];
        for (int w = 0; w < wordChars.Length; w++)
            for (int c = 0; c < wordChars[w].Length; c++) padded[w * longest + c] = wordChars[w][c];
        Tensor wordIds = tensor(words.Select(v => (long)v).ToArray(), [batch, length]);
        Tensor charIds = tensor(padded, [wordChars.Length, longest]);
        Tensor goldTags = tensor(gold.Select(v => (long)v).ToArray(), [batch, length]);
        var wordEmbedding = nn.Embedding(vocabulary, 100);
        var charEmbedding = nn.Embedding(characters, 25, padding_idx: 0);
        var conv = nn.Conv1d(25, 30, 3, padding: 1);
        var lstm = nn.LSTM(130, hidden, batchFirst: true, bidirectional: true);
        var head = nn.Linear(2 * hidden, tags);
        var transitions = new TorchSharp.Modules.Parameter(randn(tags, tags) * 0.1f);
        var start = new TorchSharp.Modules.Parameter(zeros(tags));
        var end = new TorchSharp.Modules.Parameter(zeros(tags));
        var parameters = new nn.Module[] { wordEmbedding, charEmbedding, conv, lstm, head }.SelectMany(m => m.parameters()).Concat([transitions, start, end]).ToList();
        var adam = optim.Adam(parameters, 1e-3);
        Tensor previous = goldTags.narrow(1, 0, length - 1), next = goldTags.narrow(1, 1, length - 1);
        return () =>
        {
            using var scope = NewDisposeScope();
            adam.zero_grad();
            Tensor charFeatures = conv.call(charEmbedding.call(charIds).transpose(1, 2)).max(2).values.view(batch, length, 30);
            Tensor x = cat([wordEmbedding.call(wordIds), charFeatures], 2);
            Tensor emissions = head.call(lstm.call(x, null).Item1);
            // log Z by the forward algorithm over time.
            Tensor alpha = start + emissions.select(1, 0);
            for (int t = 1; t < length; t++)
                alpha = (alpha.unsqueeze(2) + transitions.unsqueeze(0) + emissions.select(1, t).unsqueeze(1)).logsumexp(1);
            Tensor logPartition = (alpha + end).logsumexp(1);
            Tensor goldScore = emissions.gather(2, goldTags.unsqueeze(2)).squeeze(2).sum(1)
                + transitions.index(TensorIndex.Tensor(previous), TensorIndex.Tensor(next)).sum(1)
                + start.index(TensorIndex.Tensor(goldTags.select(1, 0))) + end.index(TensorIndex.Tensor(goldTags.select(1, length - 1)));
            (logPartition - goldScore).mean().backward();
            adam.step();
        };
    }

    /// <summary>Batched Viterbi as a TorchSharp user writes it: max over previous tags per step in tensor ops, back-pointers read out and followed.</summary>
    public static Action Viterbi(int batch, int length, int tags)
    {
        manual_seed(4);
        Tensor emissions = rand(batch, length, tags), transitions = rand(tags, tags) - 0.5f, start = rand(tags) - 0.5f, end = rand(tags) - 0.5f;
        long[] path = new long[batch * length];
        return () =>
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            Tensor score = start + emissions.select(1, 0);
            var pointers = new List<Tensor>(length);
            for (int t = 1; t < length; t++)
            {
                (Tensor best, Tensor from) = (score.unsqueeze(2) + transitions.unsqueeze(0)).max(1);
                score = best + emissions.select(1, t);
                pointers.Add(from);
            }
            long[] last = (score + end).argmax(1).data<long>().ToArray();
            long[] back = stack(pointers).data<long>().ToArray(); // [T-1, B, K]
            for (int b = 0; b < batch; b++)
            {
                long tag = last[b];
                path[b * length + length - 1] = tag;
                for (int t = length - 1; t > 0; t--) path[b * length + t - 1] = tag = back[((t - 1) * batch + b) * tags + tag];
            }
        };
    }

    /// <summary>One character-LM training step as a TorchSharp user writes it: nn.Embedding, nn.LSTM, nn.Linear, cross_entropy, backward, Adam.</summary>
    public static Action LanguageModelStep(int layers, int hidden, int batch, int length, int vocabulary, int embedding)
    {
        manual_seed(1);
        var embed = nn.Embedding(vocabulary, embedding);
        var lstm = nn.LSTM(embedding, hidden, layers);
        var head = nn.Linear(hidden, vocabulary);
        var adam = optim.Adam(new nn.Module[] { embed, lstm, head }.SelectMany(m => m.parameters()).ToList(), 1e-3);
        Tensor inputs = randint(vocabulary, [length, batch]), targets = randint(vocabulary, [length * batch]);
        return () =>
        {
            using var scope = NewDisposeScope();
            adam.zero_grad();
            Tensor logits = head.call(lstm.call(embed.call(inputs), null).Item1).view(-1, vocabulary);
            nn.functional.cross_entropy(logits, targets).backward();
            adam.step();
        };
    }

    /// <summary>Greedy generation one symbol at a time at batch 1 under no_grad, reading each symbol back as a user streaming text does.</summary>
    public static Action Generate(int layers, int hidden, int vocabulary, int embedding, int symbols)
    {
        manual_seed(1);
        var embed = nn.Embedding(vocabulary, embedding);
        var lstm = nn.LSTM(embedding, hidden, layers);
        var head = nn.Linear(hidden, vocabulary);
        return () =>
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            Tensor h = zeros(layers, 1, hidden), c = zeros(layers, 1, hidden);
            long symbol = 1;
            for (int i = 0; i < symbols; i++)
            {
                (Tensor output, h, c) = lstm.call(embed.call(tensor(new[] { symbol }, [1, 1])), (h, c));
                symbol = head.call(output).argmax(-1).item<long>();
            }
        };
    }
}
