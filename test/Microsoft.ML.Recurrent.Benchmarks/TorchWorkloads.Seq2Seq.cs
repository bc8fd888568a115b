using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Recurrent.Benchmarks;

/// <summary>TorchSharp's side of the seq2seq rows, as a TorchSharp user writes an attention encoder-decoder (Luong with input feeding, additive scores).</summary>
internal static partial class TorchWorkloads
{
    private sealed class Seq2SeqModel
    {
        public readonly TorchSharp.Modules.Embedding SourceEmbedding, TargetEmbedding;
        public readonly TorchSharp.Modules.LSTM Encoder;
        public readonly TorchSharp.Modules.LSTMCell Decoder;
        public readonly TorchSharp.Modules.Linear BridgeH, BridgeC, Query, Key, Score, Combine, Output;
        public readonly int Hidden;

        public Seq2SeqModel(int sourceVocabulary, int targetVocabulary, int embedding, int hidden)
        {
            manual_seed(1);
            Hidden = hidden;
            SourceEmbedding = nn.Embedding(sourceVocabulary, embedding);
            TargetEmbedding = nn.Embedding(targetVocabulary, embedding);
            Encoder = nn.LSTM(embedding, hidden, 1, bidirectional: true);
            Decoder = nn.LSTMCell(embedding + hidden, hidden);
            BridgeH = nn.Linear(2 * hidden, hidden);
            BridgeC = nn.Linear(2 * hidden, hidden);
            Query = nn.Linear(hidden, hidden, hasBias: false);
            Key = nn.Linear(2 * hidden, hidden);
            Score = nn.Linear(hidden, 1, hasBias: false);
            Combine = nn.Linear(3 * hidden, hidden);
            Output = nn.Linear(hidden, targetVocabulary);
        }

        public IEnumerable<nn.Module> Modules => [SourceEmbedding, TargetEmbedding, Encoder, Decoder, BridgeH, BridgeC, Query, Key, Score, Combine, Output];

        /// <summary>Keys [S, B, 2H], their projection, and the bridged first state.</summary>
        public (Tensor Keys, Tensor Projected, Tensor H, Tensor C) Encode(Tensor sources)
        {
            (Tensor keys, Tensor h, Tensor c) = Encoder.call(SourceEmbedding.call(sources), null);
            Tensor h0 = BridgeH.call(cat([h[0], h[1]], 1)).tanh(), c0 = BridgeC.call(cat([c[0], c[1]], 1));
            return (keys, Key.call(keys), h0, c0);
        }

        /// <summary>One decoder step: returns the logits [B, V] and the new state and attentional vector.</summary>
        public (Tensor Logits, Tensor H, Tensor C, Tensor Feed) Step(Tensor input, Tensor feed, Tensor h, Tensor c, Tensor keys, Tensor projected)
        {
            (h, c) = Decoder.call(cat([TargetEmbedding.call(input), feed], 1), (h, c));
            Tensor weights = Score.call((projected + Query.call(h).unsqueeze(0)).tanh()).squeeze(-1).softmax(dim: 0L);
            Tensor context = (weights.unsqueeze(-1) * keys).sum(dim: 0L);
            feed = Combine.call(cat([context, h], 1)).tanh();
            return (Output.call(feed), h, c, feed);
        }
    }

    /// <summary>One training step: teacher forcing over length + 1 steps (the targets, then the end), cross-entropy, backward, Adam.</summary>
    public static Action Seq2SeqStep(int batch, int length, int sourceVocabulary, int targetVocabulary, int embedding, int hidden)
    {
        var model = new Seq2SeqModel(sourceVocabulary, targetVocabulary, embedding, hidden);
        var adam = optim.Adam(model.Modules.SelectMany(m => m.parameters()).ToList(), 1e-3);
        Tensor sources = randint(sourceVocabulary, [length, batch]), targets = randint(2, targetVocabulary, [length, batch]);
        Tensor end = full([1, batch], 1L, ScalarType.Int64);
        Tensor inputs = cat([end, targets], 0), outputs = cat([targets, end], 0).view(-1);
        return () =>
        {
            using var scope = NewDisposeScope();
            adam.zero_grad();
            (Tensor keys, Tensor projected, Tensor h, Tensor c) = model.Encode(sources);
            Tensor feed = zeros(batch, hidden);
            var logits = new List<Tensor>();
            for (int t = 0; t <= length; t++)
            {
                (Tensor step, h, c, feed) = model.Step(inputs[t], feed, h, c, keys, projected);
                logits.Add(step);
            }
            nn.functional.cross_entropy(stack(logits).view(-1, targetVocabulary), outputs).backward();
            adam.step();
        };
    }

    /// <summary>Batched beam search for exactly <paramref name="length"/> symbols per source (the end made unreachable), top-k over each source's beams, back-pointers traced at the end.</summary>
    public static Action Seq2SeqBeam(int batch, int length, int sourceVocabulary, int targetVocabulary, int embedding, int hidden, int width)
    {
        var model = new Seq2SeqModel(sourceVocabulary, targetVocabulary, embedding, hidden);
        using (no_grad()) model.Output.bias![1] = -1e4f;
        Tensor sources = randint(sourceVocabulary, [length, batch]);
        Tensor offsets = (arange(batch) * width).unsqueeze(1);
        return () =>
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            (Tensor keys, Tensor projected, Tensor h, Tensor c) = model.Encode(sources);
            keys = keys.repeat_interleave(width, 1);
            projected = projected.repeat_interleave(width, 1);
            (h, c) = (h.repeat_interleave(width, 0), c.repeat_interleave(width, 0));
            Tensor feed = zeros(batch * width, hidden), input = full(batch * width, 1L, ScalarType.Int64);
            Tensor scores = full([batch, width], float.NegativeInfinity);
            scores[TensorIndex.Colon, 0] = 0f;
            var parents = new List<long[]>();
            var symbols = new List<long[]>();
            for (int t = 0; t <= length; t++)
            {
                (Tensor logits, h, c, feed) = model.Step(input, feed, h, c, keys, projected);
                Tensor logp = logits.log_softmax(-1);
                if (t == length) { scores = scores + logp[TensorIndex.Colon, 1].view(batch, width); break; }
                (Tensor best, Tensor index) = (scores.view(-1, 1) + logp).view(batch, -1).topk(width, 1);
                Tensor beam = index.div(targetVocabulary, rounding_mode: RoundingMode.floor), symbol = index.remainder(targetVocabulary);
                Tensor rows = (offsets + beam).view(-1);
                (h, c, feed) = (h.index_select(0, rows), c.index_select(0, rows), feed.index_select(0, rows));
                (scores, input) = (best, symbol.view(-1));
                parents.Add(beam.data<long>().ToArray());
                symbols.Add(symbol.data<long>().ToArray());
            }
            // Trace each source's best beam back to its first symbol.
            long[] winner = [.. scores.argmax(1).data<long>()];
            long[] output = new long[length];
            for (int b = 0; b < batch; b++)
            {
                long k = winner[b];
                for (int t = length - 1; t >= 0; t--) { output[t] = symbols[t][b * width + k]; k = parents[t][b * width + k]; }
            }
        };
    }
}
