using Microsoft.ML.Recurrent.Engine.Cells;
using Microsoft.ML.Recurrent.Engine.Layers;
using Microsoft.ML.Recurrent.Engine.Losses;
using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Engine.Optimizers;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Benchmarks;

/// <summary>Our side of each workload, on the engine's public API.</summary>
internal static partial class OurWorkloads
{
    /// <summary>Forward (and, when training, backward with input gradients) of a recurrent network on a packed batch.</summary>
    public static Action Recurrent(CellType cell, int layers, bool bidirectional, int[] lengths, int input, int hidden, bool training)
    {
        var net = new RecurrentNetwork(cell, input, hidden, layers, bidirectional);
        var random = new Random(1);
        foreach (var p in net.Parameters)
            for (int i = 0; i < p.Size; i++) p.Value[i] = (random.NextSingle() - 0.5f) * 0.1f;
        SequenceLayout layout = SequenceLayout.Sort(lengths, -1, out _);
        float[] x = Data.Uniform(layout.TotalSteps * input, random);
        float[] y = new float[layout.TotalSteps * net.OutputSize], dy = Enumerable.Repeat(0.01f, y.Length).ToArray(), dx = new float[x.Length];
        // Inference workloads run a frozen network: weights packed once, as a deployed model would.
        net.Frozen = !training;
        if (!training) return () => net.Forward(layout, x, default, default, y, default, default);
        return () =>
        {
            net.Forward(layout, x, default, default, y, default, default);
            net.Backward(layout, x, default, default, y, dy, default, default, dx, default, default);
            for (int i = 0; i < net.Parameters.Count; i++) net.Parameters[i].ZeroGradient();
        };
    }

    /// <summary>CTC loss and its gradient for every sequence of a batch.</summary>
    public static Action Ctc(int frames, int batch, int classes, int targetLength)
    {
        var random = new Random(2);
        float[] logits = Data.Uniform(batch * frames * classes, random), gradient = new float[logits.Length];
        int[][] targets = Data.Targets(batch, targetLength, classes, random);
        return () => CtcBatch.Compute(logits, frames, classes, targets, blank: 0, zeroInfinity: false, gradient);
    }

    /// <summary>C = A * B for square n x n matrices.</summary>
    public static Action Sgemm(int n)
    {
        var random = new Random(3);
        float[] a = Data.Uniform(n * n, random), b = Data.Uniform(n * n, random), c = new float[n * n];
        return () => Gemm.NN(n, n, n, a, n, b, n, c, n, accumulate: false);
    }

    /// <summary>
    /// One training step of the BiLSTM-CRF tagger (word embedding 100, character CNN, one BiLSTM layer, emissions,
    /// CRF negative log-likelihood, backward, Adam) on B sentences of T words.
    /// </summary>
    public static Action TaggerStep(int batch, int length, int vocabulary, int characters, int tags, int hidden)
    {
        var net = new TaggerNetwork(new TaggerArchitecture(vocabulary, tags) { CharacterVocabularySize = characters, HiddenSize = hidden });
        net.Initialize(new Random(1));
        (SequenceLayout layout, int[] ids, int[] chars, int[] offsets, int[] gold) = Packed(batch, length, vocabulary, characters, tags);
        var adam = new Adam(net.Parameters, 1e-3f);
        return () =>
        {
            adam.ZeroGradients();
            net.Forward(layout, ids, default, chars, offsets);
            net.Loss(gold, gradient: true);
            adam.Step();
        };
    }

    /// <summary>Viterbi decoding of B sequences of T steps over K tags (random emissions and transitions).</summary>
    public static Action Viterbi(int batch, int length, int tags)
    {
        var random = new Random(4);
        var crf = new LinearChainCrf(tags);
        foreach (var p in crf.Parameters)
            for (int i = 0; i < p.Size; i++) p.Value[i] = random.NextSingle() - 0.5f;
        var decoder = new CrfBatch(crf);
        SequenceLayout layout = SequenceLayout.FromSortedLengths(Enumerable.Repeat(length, batch).ToArray());
        float[] emissions = Data.Uniform(layout.TotalSteps * tags, random);
        int[] path = new int[layout.TotalSteps];
        return () => decoder.Decode(layout, emissions, null, path);
    }

    // The sentences of Data.Sentences in the engine's packed (time-major) order, with each word's characters.
    private static (SequenceLayout Layout, int[] Ids, int[] Chars, int[] Offsets, int[] Tags) Packed(int batch, int length, int vocabulary, int characters, int tags)
    {
        (int[] words, int[][] wordChars, int[] gold) = Data.Sentences(batch, length, vocabulary, characters, tags, seed: 5);
        SequenceLayout layout = SequenceLayout.FromSortedLengths(Enumerable.Repeat(length, batch).ToArray());
        int n = layout.TotalSteps;
        int[] ids = new int[n], packedTags = new int[n], offsets = new int[n + 1];
        var chars = new List<int>();
        for (int t = 0; t < length; t++)
            for (int b = 0; b < batch; b++)
            {
                int row = layout.Row(t, b), source = b * length + t;
                ids[row] = words[source];
                packedTags[row] = gold[source];
                chars.AddRange(wordChars[source]);
                offsets[row + 1] = chars.Count;
            }
        return (layout, ids, [.. chars], offsets, packedTags);
    }

    /// <summary>One character-LM training step: embedding, stacked LSTM, softmax over the vocabulary, backward, Adam, on B streams of T steps.</summary>
    public static Action LanguageModelStep(int layers, int hidden, int batch, int length, int vocabulary, int embedding)
    {
        var net = new LanguageModelNetwork(new LanguageModelArchitecture(vocabulary) { EmbeddingSize = embedding, HiddenSize = hidden, NumLayers = layers });
        net.Initialize(new Random(1));
        var random = new Random(6);
        SequenceLayout layout = SequenceLayout.FromSortedLengths(Enumerable.Repeat(length, batch).ToArray());
        int[] inputs = [.. Enumerable.Range(0, layout.TotalSteps).Select(_ => random.Next(vocabulary))];
        int[] targets = [.. Enumerable.Range(0, layout.TotalSteps).Select(_ => random.Next(vocabulary))];
        var adam = new Adam(net.Parameters, 1e-3f);
        return () =>
        {
            adam.ZeroGradients();
            net.Forward(layout, inputs);
            net.Loss(targets, gradient: true);
            adam.Step();
        };
    }

    /// <summary>Greedy generation of <paramref name="symbols"/> symbols one at a time at batch 1 (frozen weights, as a deployed model).</summary>
    public static Action Generate(int layers, int hidden, int vocabulary, int embedding, int symbols)
    {
        var net = new LanguageModelNetwork(new LanguageModelArchitecture(vocabulary) { EmbeddingSize = embedding, HiddenSize = hidden, NumLayers = layers });
        net.Initialize(new Random(1));
        net.Frozen = true;
        RecurrentState state = net.NewState(1), next = net.NewState(1);
        int[] input = new int[1];
        return () =>
        {
            state.Clear();
            input[0] = 1;
            for (int i = 0; i < symbols; i++)
            {
                ReadOnlySpan<float> logits = net.Step(input, state, next, 1);
                input[0] = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(logits);
                (state, next) = (next, state);
            }
        };
    }
}
