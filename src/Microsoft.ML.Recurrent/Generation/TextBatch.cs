using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Engine.Tensors;
using Microsoft.ML.Recurrent.Training;

namespace Microsoft.ML.Recurrent.Generation;

/// <summary>
/// One mini-batch of a language model: packed input and target symbols, and whether its sequences continue
/// the previous batch's (a window of streams after the first: the state carries over) or start afresh.
/// </summary>
internal sealed record TextBatch(SequenceLayout Layout, int[] Inputs, int[] Targets, bool Continues);

/// <summary>The windows of a corpus's streams in order: streams continue across windows, so they are never shuffled.</summary>
internal sealed class StreamBatches(TextStreams streams) : IExampleSource<TextBatch>
{
    public IEnumerable<IReadOnlyList<TextBatch>> Batches(int batchSize, Random? shuffle, int bufferSize)
    {
        for (int k = 0; k < streams.Windows; k++)
        {
            SequenceLayout layout = streams.Layout(k);
            int[] inputs = new int[layout.TotalSteps], targets = new int[layout.TotalSteps];
            streams.Fill(k, inputs, targets);
            yield return [new TextBatch(layout, inputs, targets, Continues: k > 0)];
        }
    }
}

/// <summary>
/// Texts that each fit in one window, as independent sequences from a zero state (as generation starts): text
/// s1..sn reads [end-of-text, s1..sn] and predicts [s1..sn, end-of-text]; B texts per mini-batch, shuffled when asked.
/// </summary>
internal sealed class TextSequences(IReadOnlyList<int[]> texts) : IExampleSource<TextBatch>
{
    public IEnumerable<IReadOnlyList<TextBatch>> Batches(int batchSize, Random? shuffle, int bufferSize)
    {
        int[] order = [.. Enumerable.Range(0, texts.Count)];
        if (shuffle is not null) shuffle.Shuffle(order);
        for (int start = 0; start < order.Length; start += batchSize)
        {
            int[][] batch = [.. order.Skip(start).Take(batchSize).Select(i => texts[i])];
            SequenceLayout layout = SequenceLayout.Sort([.. batch.Select(t => t.Length + 1)], -1, out int[] sorted);
            int[] inputs = new int[layout.TotalSteps], targets = new int[layout.TotalSteps];
            for (int b = 0; b < batch.Length; b++)
            {
                int[] text = batch[sorted[b]];
                for (int t = 0; t <= text.Length; t++)
                {
                    int row = layout.Row(t, b);
                    inputs[row] = t == 0 ? SymbolVocabulary.EndOfText : text[t - 1];
                    targets[row] = t == text.Length ? SymbolVocabulary.EndOfText : text[t];
                }
            }
            yield return [new TextBatch(layout, inputs, targets, Continues: false)];
        }
    }
}
