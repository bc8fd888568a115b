using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Engine.Tensors;
using Microsoft.ML.Recurrent.Training;

namespace Microsoft.ML.Recurrent.Tagging;

/// <summary>A <see cref="TaggerNetwork"/> as the training loop sees it: packed sentences, word dropout, the CRF (or softmax) loss, token accuracy.</summary>
internal sealed class TaggingModel : ITrainableModel<SequenceExample>
{
    private readonly float _wordDropout;
    private readonly int _featureSize;
    private readonly SequenceBatch _batch = new();
    private int[] _dropped = [], _decoded = [];
    private float[] _confidence = [];

    public TaggingModel(TaggerNetwork network, float wordDropout)
    {
        Network = network;
        _wordDropout = wordDropout;
        _featureSize = network.Architecture.FeatureSize;
    }

    public TaggerNetwork Network { get; }

    public IReadOnlyList<Parameter> Parameters => Network.Parameters;

    public string MetricName => "token accuracy";

    public bool HigherIsBetter => true;

    public double TrainBatch(IReadOnlyList<SequenceExample> batch, Random random)
    {
        Forward(batch, training: true, random);
        return Network.Loss(_batch.StepLabels, gradient: true);
    }

    public (double Loss, double Metric) Evaluate(IEnumerable<IReadOnlyList<SequenceExample>> batches)
    {
        double lossSum = 0;
        long sentences = 0, tokens = 0, correct = 0;
        foreach (IReadOnlyList<SequenceExample> batch in batches)
        {
            Forward(batch, training: false, null);
            lossSum += Network.Loss(_batch.StepLabels, gradient: false) * batch.Count;
            int n = _batch.Layout.TotalSteps;
            if (_decoded.Length < n) { _decoded = new int[n]; _confidence = new float[n]; }
            Network.Decode(_decoded.AsSpan(0, n), _confidence.AsSpan(0, n));
            ReadOnlySpan<int> gold = _batch.StepLabels;
            for (int r = 0; r < n; r++) if (_decoded[r] == gold[r]) correct++;
            tokens += n;
            sentences += batch.Count;
        }
        if (sentences == 0) throw new InvalidOperationException("The validation data has no rows.");
        return (lossSum / sentences, (double)correct / tokens);
    }

    private void Forward(IReadOnlyList<SequenceExample> batch, bool training, Random? random)
    {
        _batch.Fill(batch, _featureSize);
        ReadOnlySpan<int> ids = training ? DropWords(_batch.Ids, random!) : _batch.Ids;
        Network.Forward(_batch.Layout, ids, _featureSize == 0 ? default : _batch.Frames(_featureSize), _batch.Parts, _batch.PartOffsets, training, random);
    }

    /// <summary>Replaces each word by the unknown id 0 with probability WordDropout.</summary>
    private ReadOnlySpan<int> DropWords(ReadOnlySpan<int> ids, Random random)
    {
        if (_wordDropout == 0) return ids;
        if (_dropped.Length < ids.Length) _dropped = new int[ids.Length];
        for (int i = 0; i < ids.Length; i++) _dropped[i] = random.NextSingle() < _wordDropout ? 0 : ids[i];
        return _dropped.AsSpan(0, ids.Length);
    }
}

/// <summary>Tagging examples of an IDataView, streamed in mini-batches.</summary>
internal sealed class TaggingExampleSource(IDataView data, TaggingColumns columns, TagSet tags, Func<long, bool>? rows = null) : IExampleSource<SequenceExample>
{
    public IEnumerable<IReadOnlyList<SequenceExample>> Batches(int batchSize, Random? shuffle, int bufferSize) =>
        ExampleBatches.From(columns.Examples(data, tags, rows), batchSize, shuffle, bufferSize);
}
