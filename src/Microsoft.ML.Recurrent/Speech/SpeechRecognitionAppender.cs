using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Data;

namespace Microsoft.ML.Recurrent.Speech;

/// <summary>Appends a speech recognizer's text, symbols and (when named) spike frames, decoding each row's frames once.</summary>
internal sealed class SpeechRecognitionAppender : ColumnAppender
{
    private readonly SpeechRecognitionTransformer _model;
    private readonly SequenceFeatureColumn _features;

    public SpeechRecognitionAppender(SpeechRecognitionTransformer model, DataViewSchema inputSchema)
        : base(inputSchema, model.Columns.OutputSchema(model.Vocabulary.Size, model.Vocabulary.Symbols))
    {
        _model = model;
        _features = SequenceFeatureColumn.Bind(inputSchema, model.Features.Name, model.Features.FrameSize);
        model.Features.CheckMatches(_features);
    }

    public override IEnumerable<DataViewSchema.Column> Dependencies => [InputSchema[_features.Name]];

    public override IAddedColumns Bind(DataViewRow input) => new Row(this, input);

    private sealed class Row : IAddedColumns
    {
        private readonly PositionCache<(int Id, int Frame)[]> _decoded;

        public Row(SpeechRecognitionAppender appender, DataViewRow input)
        {
            SequenceFeatureReader reader = appender._features.CreateReader(input, appender._model.Features);
            int[] ids = [];
            float[] frames = [];
            _decoded = new(input, () =>
            {
                int length = reader.Read(input.Position, ref ids, ref frames);
                return [.. appender._model.Decode(frames.AsSpan(0, length * appender._features.FrameSize), length)];
            });
            Model = appender._model;
        }

        private SpeechRecognitionTransformer Model { get; }

        public Delegate GetGetter(int addedIndex) => addedIndex switch
        {
            0 => (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = Model.Vocabulary.Decode(_decoded.Value.Select(d => d.Id)).AsMemory()),
            1 => StepColumns.KeyVector(() => _decoded.Value.Select(d => d.Id).ToArray()),
            _ => (ValueGetter<VBuffer<int>>)((ref VBuffer<int> value) => value = new VBuffer<int>(_decoded.Value.Length, [.. _decoded.Value.Select(d => d.Frame)])),
        };
    }
}
