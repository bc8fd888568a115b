using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Engine.Tensors;
using Microsoft.ML.Recurrent.Training;

namespace Microsoft.ML.Recurrent.Sequences;

/// <summary>
/// A <see cref="ManyToOneNetwork"/> with its objective, as the training loop sees it: a mini-batch of
/// sequences is packed, run forward (with token dropout), scored by the objective and backpropagated.
/// </summary>
internal sealed class ManyToOneModel : ITrainableModel<SequenceExample>
{
    private readonly SequenceFeatureColumn _features;
    private readonly SequenceObjective _objective;
    private readonly float _tokenDropout;
    private readonly SequenceBatch _batch = new();
    private int[] _droppedIds = [];
    private float[] _dScores = [];

    public ManyToOneModel(ManyToOneNetwork network, SequenceFeatureColumn features, SequenceObjective objective, float tokenDropout)
    {
        Network = network;
        _features = features;
        _objective = objective;
        _tokenDropout = tokenDropout;
    }

    /// <summary>The network being trained.</summary>
    public ManyToOneNetwork Network { get; }

    public IReadOnlyList<Parameter> Parameters => Network.Parameters;

    public string MetricName => _objective.MetricName;

    public bool HigherIsBetter => _objective.HigherIsBetter;

    public double TrainBatch(IReadOnlyList<SequenceExample> batch, Random random)
    {
        _batch.Fill(batch, _features.FrameSize);
        ReadOnlySpan<float> scores = Forward(training: true, random);
        if (_dScores.Length < scores.Length) _dScores = new float[scores.Length];
        Span<float> dScores = _dScores.AsSpan(0, scores.Length);
        double loss = _objective.Loss(scores, _batch.Targets, dScores);
        if (double.IsFinite(loss)) Network.Backward(dScores);
        return loss;
    }

    public (double Loss, double Metric) Evaluate(IEnumerable<IReadOnlyList<SequenceExample>> batches)
    {
        double lossSum = 0, metricSum = 0;
        long count = 0;
        foreach (IReadOnlyList<SequenceExample> examples in batches)
        {
            _batch.Fill(examples, _features.FrameSize);
            ReadOnlySpan<float> scores = Forward(training: false, null);
            lossSum += _objective.Loss(scores, _batch.Targets, default) * examples.Count;
            metricSum += _objective.MetricSum(scores, _batch.Targets);
            count += examples.Count;
        }
        if (count == 0) throw new InvalidOperationException("The validation data has no rows.");
        return (lossSum / count, _objective.FinishMetric(metricSum, count));
    }

    private ReadOnlySpan<float> Forward(bool training, Random? random) => _features.IsTokens
        ? Network.Forward(_batch.Layout, training ? DropTokens(_batch.Ids, random!) : _batch.Ids, training, random)
        : Network.Forward(_batch.Layout, _batch.Frames(_features.FrameSize), training, random);

    /// <summary>Replaces each token by the unknown id 0 with probability TokenDropout.</summary>
    private ReadOnlySpan<int> DropTokens(ReadOnlySpan<int> ids, Random random)
    {
        if (_tokenDropout == 0) return ids;
        if (_droppedIds.Length < ids.Length) _droppedIds = new int[ids.Length];
        for (int i = 0; i < ids.Length; i++) _droppedIds[i] = random.NextSingle() < _tokenDropout ? 0 : ids[i];
        return _droppedIds.AsSpan(0, ids.Length);
    }
}
