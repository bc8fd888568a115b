using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Engine.Optimizers;

namespace Microsoft.ML.Recurrent.Benchmarks;

/// <summary>Our side of the seq2seq rows.</summary>
internal static partial class OurWorkloads
{
    private static (Seq2SeqNetwork Network, int[][] Sources, int[][] Targets) Seq2Seq(int batch, int length, int sourceVocabulary, int targetVocabulary, int embedding, int hidden)
    {
        var network = new Seq2SeqNetwork(new Seq2SeqArchitecture(sourceVocabulary, targetVocabulary)
        {
            EmbeddingSize = embedding, EncoderHiddenSize = hidden, DecoderHiddenSize = hidden, AttentionSize = hidden, EndOfSequence = 1,
        });
        network.Initialize(new Random(1));
        var random = new Random(8);
        int[][] sources = [.. Enumerable.Range(0, batch).Select(_ => Enumerable.Range(0, length).Select(_ => random.Next(sourceVocabulary)).ToArray())];
        int[][] targets = [.. Enumerable.Range(0, batch).Select(_ => Enumerable.Range(0, length).Select(_ => 2 + random.Next(targetVocabulary - 2)).ToArray())];
        return (network, sources, targets);
    }

    /// <summary>One seq2seq training step: BiLSTM encoder, bridged states, LSTM decoder with additive attention and input feeding, cross-entropy, backward, Adam.</summary>
    public static Action Seq2SeqStep(int batch, int length, int sourceVocabulary, int targetVocabulary, int embedding, int hidden)
    {
        (Seq2SeqNetwork network, int[][] sources, int[][] targets) = Seq2Seq(batch, length, sourceVocabulary, targetVocabulary, embedding, hidden);
        var adam = new Adam(network.Parameters, 1e-3f);
        return () =>
        {
            adam.ZeroGradients();
            network.Loss(sources, targets, gradient: true);
            adam.Step();
        };
    }

    /// <summary>Beam search over a batch of sources for exactly <paramref name="length"/> symbols each (the end symbol is made unreachable, so both sides do the same work).</summary>
    public static Action Seq2SeqBeam(int batch, int length, int sourceVocabulary, int targetVocabulary, int embedding, int hidden, int width)
    {
        (Seq2SeqNetwork network, int[][] sources, _) = Seq2Seq(batch, length, sourceVocabulary, targetVocabulary, embedding, hidden);
        network.Decoder.Output.Bias.Value[1] = -1e4f;
        network.Frozen = true;
        return () => Seq2SeqSearch.Beam(network, sources, width, length, lengthNormalization: 1f);
    }
}
