using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Engine.Decoding;
using Microsoft.ML.Recurrent.Engine.Losses;
using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Engine.Tensors;
using Microsoft.ML.Recurrent.Training;

namespace Microsoft.ML.Recurrent.Speech;

/// <summary>
/// An acoustic network as the training loop sees it: a batch of utterances is packed, the CTC loss and its
/// gradients computed; validation reports the CTC loss and the character (symbol) error rate of greedy decoding.
/// </summary>
internal sealed class SpeechTrainingModel(AcousticNetwork network, int frameSize, SpeechRecognitionOptions? augmentation = null) : ITrainableModel<SequenceExample>
{
    private readonly SequenceBatch _batch = new();
    private readonly bool _augment = augmentation is { TimeMaskCount: > 0 } or { FrequencyMaskCount: > 0 } or { TempoPerturbation: > 0 };

    public AcousticNetwork Network { get; } = network;

    public IReadOnlyList<Parameter> Parameters => Network.Parameters;

    public string MetricName => "symbol error rate";

    public bool HigherIsBetter => false;

    public double TrainBatch(IReadOnlyList<SequenceExample> batch, Random random)
    {
        if (_augment) batch = [.. batch.Select(e => Augmented(e, random))];
        _batch.Fill(batch, frameSize);
        return Network.Loss(_batch.Layout, _batch.Frames(frameSize), _batch.LabelSequences, random);
    }

    public (double Loss, double Metric) Evaluate(IEnumerable<IReadOnlyList<SequenceExample>> batches)
    {
        double loss = 0;
        long count = 0, errors = 0, symbols = 0;
        int classes = Network.Architecture.ClassCount;
        foreach (IReadOnlyList<SequenceExample> examples in batches)
        {
            _batch.Fill(examples, frameSize);
            loss += Network.Evaluate(_batch.Layout, _batch.Frames(frameSize), _batch.LabelSequences) * examples.Count;
            ReadOnlySpan<float> logits = Network.Forward(_batch.Layout, _batch.Frames(frameSize));
            SequenceLayout output = Network.OutputLayout;
            for (int b = 0; b < output.BatchSize; b++)
            {
                int[] decoded = CtcDecoder.Greedy(Rows(output, logits, b, classes), classes, blank: 0);
                int[] reference = _batch.LabelSequences[b];
                errors += EditDistance.Align([.. reference.Select(c => c.ToString())], [.. decoded.Select(c => c.ToString())]).Errors;
                symbols += reference.Length;
            }
            count += examples.Count;
        }
        if (count == 0) throw new InvalidOperationException("There are no validation utterances.");
        return (loss / count, symbols == 0 ? 0 : (double)errors / symbols);
    }

    /// <summary>
    /// A copy of the utterance stretched in time (when the stretch still leaves the CTC alignment room) and with SpecAugment's
    /// time and frequency masks (filled with 0, the normalized mean).
    /// </summary>
    private SequenceExample Augmented(SequenceExample example, Random random)
    {
        float[]? frames = null;
        int length = example.Length;
        if (augmentation!.TempoPerturbation > 0)
        {
            double tempo = 1 - augmentation.TempoPerturbation + 2 * augmentation.TempoPerturbation * random.NextDouble();
            float[] stretched = Audio.AudioAugmentation.TimeStretch(example.Frames, frameSize, tempo);
            int stretchedLength = stretched.Length / frameSize;
            if (Network.Architecture.OutputFrames(stretchedLength) >= CtcLoss.MinimumFrames(example.Labels!)) (frames, length) = (stretched, stretchedLength);
        }
        frames ??= (float[])example.Frames!.Clone();   // the stretch is already a copy
        Audio.AudioAugmentation.SpecAugment(frames, frameSize, augmentation.TimeMaskCount, Math.Min(augmentation.TimeMaskWidth, Math.Max(1, length / 5)),
            augmentation.FrequencyMaskCount, Math.Min(augmentation.FrequencyMaskWidth, frameSize), random);
        return example with { Length = length, Frames = frames };
    }

    /// <summary>Sequence <paramref name="b"/>'s per-frame scores [T', C] out of the packed output.</summary>
    public static float[] Rows(SequenceLayout layout, ReadOnlySpan<float> logits, int b, int classes)
    {
        float[] rows = new float[layout.Lengths[b] * classes];
        Packing.CopySequence(layout, logits, b, classes, rows);
        return rows;
    }
}
