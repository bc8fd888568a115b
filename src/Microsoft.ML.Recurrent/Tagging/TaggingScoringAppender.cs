using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Engine.Threading;

namespace Microsoft.ML.Recurrent.Tagging;

/// <summary>Appends a tagger's PredictedLabel and Score columns, computed a block of sentences at a time.</summary>
internal sealed class TaggingScoringAppender : ColumnAppender
{
    private readonly SequenceTaggingTransformer _model;

    public TaggingScoringAppender(SequenceTaggingTransformer model, DataViewSchema inputSchema)
        : base(inputSchema, SequenceTaggingTransformer.OutputColumns(model.Tags.Names))
    {
        _model = model;
        TaggingColumns.CheckTokens(inputSchema, model.Columns.TokenColumn);
    }

    public override IEnumerable<DataViewSchema.Column> Dependencies => [InputSchema[_model.Columns.TokenColumn]];

    public override IAddedColumns Bind(DataViewRow input) => new SingleRowBlock(input, new Block(_model, input, capacity: 1));

    public override IBlockColumns BindBlock(DataViewRow input) => new Block(_model, input, BlockRows);

    /// <summary>Sentences scored together.</summary>
    private const int BlockRows = 256;

    /// <summary>Reads sentences into slots, tags them as one packed batch, keeps each one's tags and confidences.</summary>
    private sealed class Block : IBlockColumns
    {
        private readonly SequenceTaggingTransformer _model;
        private readonly Func<long, (int[] Ids, float[] Features, int[][]? Characters)> _read;
        private readonly TaggerNetwork _network;
        private readonly SequenceBatch _batch = new();
        private readonly StepResults _tags = new(), _scores = new();
        private readonly int[][] _ids;
        private readonly float[][] _features;
        private readonly int[][]?[] _characters;
        private int[] _decoded = [];
        private float[] _confidence = [];

        public Block(SequenceTaggingTransformer model, DataViewRow input, int capacity)
        {
            _model = model;
            _read = model.Columns.TokenReader(input);
            _network = model.Network.Clone();
            _network.Frozen = true;
            Capacity = capacity;
            _ids = new int[capacity][];
            _features = new float[capacity][];
            _characters = new int[capacity][][];
        }

        public int Capacity { get; }

        public void Read(long position, int slot) => (_ids[slot], _features[slot], _characters[slot]) = _read(position);

        public void Compute(int count)
        {
            using WorkerPool.ThreadLimit threads = WorkerPool.LimitThreads(_model.NumberOfThreads);
            int f = _model.Columns.FeatureSize;
            _batch.Fill(count, i => _ids[i].Length, i => _ids[i], i => f == 0 ? null : _features[i], f);
            if (_model.Columns.Characters is not null) _batch.PackParts(count, i => _characters[i]!);
            int n = _batch.Layout.TotalSteps;
            _network.Forward(_batch.Layout, _batch.Ids, f == 0 ? default : _batch.Frames(f), _batch.Parts, _batch.PartOffsets);
            if (_decoded.Length < n) { _decoded = new int[n]; _confidence = new float[n]; }
            _network.Decode(_decoded.AsSpan(0, n), _confidence.AsSpan(0, n));
            _tags.Unpack(_batch, _decoded.AsSpan(0, n));
            _scores.Unpack(_batch, _confidence.AsSpan(0, n), 1);
        }

        public Delegate GetGetter(int addedIndex, Func<int> slot) => addedIndex == 0
            ? StepColumns.KeyVector(() => _tags.Ints(slot()))
            : StepColumns.FloatVector(() => _scores.Floats(slot()));
    }
}
