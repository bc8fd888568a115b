using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Sequences;

/// <summary>Appends a trained many-to-one model's prediction columns to rows that carry its sequence column.</summary>
internal sealed class SequenceScoringAppender : ColumnAppender
{
    private readonly RecurrentSequenceTransformer _model;
    private readonly SequenceFeatureColumn _features;

    public SequenceScoringAppender(RecurrentSequenceTransformer model, DataViewSchema inputSchema)
        : base(inputSchema, model.Objective.OutputColumns)
    {
        _model = model;
        SequenceFeatureColumn trained = model.Features;
        _features = SequenceFeatureColumn.Bind(inputSchema, trained.Name, trained.FrameSize);
        trained.CheckMatches(_features);
    }

    public override IEnumerable<DataViewSchema.Column> Dependencies => [InputSchema[_features.Name]];

    public override IAddedColumns Bind(DataViewRow input) => new Scorer(this, input);

    public override IBlockColumns BindBlock(DataViewRow input) => new SequenceBlockScorer(_model, _features, input);

    /// <summary>Scores the current row once per position, with its own copy of the network.</summary>
    private sealed class Scorer : IAddedColumns
    {
        private readonly SequenceScoringAppender _owner;
        private readonly DataViewRow _input;
        private readonly SequenceFeatureReader _reader;
        private readonly ManyToOneNetwork _network;
        private readonly float[] _scores;
        private int[] _ids = [];
        private float[] _frames = [];
        private long _position = -1;

        public Scorer(SequenceScoringAppender owner, DataViewRow input)
        {
            _owner = owner;
            _input = input;
            _reader = owner._features.CreateReader(input, owner._model.Features);
            _network = owner._model.Network.Clone();
            // A trained model's weights never change: pack them once instead of on every row.
            _network.Recurrent.Frozen = true;
            _scores = new float[owner._model.Objective.OutputSize];
        }

        public Delegate GetGetter(int addedIndex) => _owner._model.Objective.CreateGetter(addedIndex, Scores);

        private float[] Scores()
        {
            if (_position == _input.Position) return _scores;
            int length = _reader.Read(_input.Position, ref _ids, ref _frames);
            SequenceLayout layout = SequenceLayout.FromSortedLengths([length]);
            ReadOnlySpan<float> scores = _owner._features.IsTokens
                ? _network.Forward(layout, _ids.AsSpan(0, length))
                : _network.Forward(layout, _frames.AsSpan(0, length * _owner._features.FrameSize));
            scores.CopyTo(_scores);
            _position = _input.Position;
            return _scores;
        }
    }
}
