using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Engine.Threading;

namespace Microsoft.ML.Recurrent.Sequences;

/// <summary>
/// Scores a block of rows as one packed batch: the block's sequences are sorted by length, run through
/// a frozen copy of the network together, and each row's scores go back to its slot.
/// </summary>
internal sealed class SequenceBlockScorer : IBlockColumns
{
    /// <summary>Rows scored together: enough for full-width products, few enough to keep the first rows' latency low.</summary>
    public const int BlockRows = 256;

    private readonly RecurrentSequenceTransformer _model;
    private readonly SequenceFeatureColumn _features;
    private readonly SequenceFeatureReader _reader;
    private readonly ManyToOneNetwork _network;
    private readonly SequenceBatch _batch = new();
    private readonly int[][] _ids = new int[BlockRows][];
    private readonly float[][] _frames = new float[BlockRows][];
    private readonly int[] _lengths = new int[BlockRows];
    private readonly float[][] _scores = new float[BlockRows][];

    public SequenceBlockScorer(RecurrentSequenceTransformer model, SequenceFeatureColumn features, DataViewRow input)
    {
        _model = model;
        _features = features;
        _reader = features.CreateReader(input, model.Features);
        _network = model.Network.Clone();
        _network.Recurrent.Frozen = true;
        for (int i = 0; i < BlockRows; i++) { _ids[i] = []; _frames[i] = []; _scores[i] = new float[model.Objective.OutputSize]; }
    }

    public int Capacity => BlockRows;

    public void Read(long position, int slot) => _lengths[slot] = _reader.Read(position, ref _ids[slot], ref _frames[slot]);

    public void Compute(int count)
    {
        using WorkerPool.ThreadLimit threads = WorkerPool.LimitThreads(_model.NumberOfThreads);
        int frameSize = _features.FrameSize;
        _batch.Fill(count, i => _lengths[i], i => _features.IsTokens ? _ids[i] : null, i => _features.IsTokens ? null : _frames[i], frameSize);
        ReadOnlySpan<float> scores = _features.IsTokens
            ? _network.Forward(_batch.Layout, _batch.Ids)
            : _network.Forward(_batch.Layout, _batch.Frames(frameSize));
        int width = _model.Objective.OutputSize;
        ReadOnlySpan<int> order = _batch.Order;
        for (int b = 0; b < count; b++) scores.Slice(b * width, width).CopyTo(_scores[order[b]]);
    }

    public Delegate GetGetter(int addedIndex, Func<int> slot) => _model.Objective.CreateGetter(addedIndex, () => _scores[slot()]);
}
