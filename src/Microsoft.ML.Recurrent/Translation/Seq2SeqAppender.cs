using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Generation;

namespace Microsoft.ML.Recurrent.Translation;

/// <summary>Appends a seq2seq model's PredictedText, PredictedSymbols and (when asked) AttentionWeights, decoding each row's source once.</summary>
internal sealed class Seq2SeqAppender : ColumnAppender
{
    private readonly Seq2SeqTransformer _model;
    private readonly DataViewSchema.Column _source;

    public Seq2SeqAppender(Seq2SeqTransformer model, DataViewSchema inputSchema)
        : base(inputSchema, Seq2SeqTransformer.OutputColumns(model.TargetVocabulary, model.Decoding.OutputAttention))
    {
        _model = model;
        _source = TextColumn.Check(inputSchema, model.SourceColumnName);
    }

    public override IEnumerable<DataViewSchema.Column> Dependencies => [_source];

    public override IAddedColumns Bind(DataViewRow input) => new Row(_model, input, input.GetGetter<ReadOnlyMemory<char>>(_source));

    private sealed class Row : IAddedColumns
    {
        private readonly Seq2SeqTransformer _model;
        private readonly PositionCache<Seq2SeqHypothesis> _output;

        public Row(Seq2SeqTransformer model, DataViewRow input, ValueGetter<ReadOnlyMemory<char>> source)
        {
            _model = model;
            Seq2SeqNetwork network = model.InferenceNetwork();
            _output = new(input, () =>
            {
                ReadOnlyMemory<char> value = default;
                source(ref value);
                if (value.IsEmpty) throw new InvalidOperationException($"Row {input.Position}: the source column '{model.SourceColumnName}' is empty; the model needs at least one source symbol.");
                return model.Decode(network, [value.ToString()], model.Decoding.OutputAttention)[0];
            });
        }

        public Delegate GetGetter(int addedIndex) => addedIndex switch
        {
            0 => StepColumns.Text(() => _model.TargetVocabulary.Decode(_output.Value.Symbols)),
            1 => StepColumns.KeyVector(() => _output.Value.Symbols),
            2 => StepColumns.FloatVector(() => _output.Value.Attention!.SelectMany(w => w).ToArray()),
            _ => throw new ArgumentOutOfRangeException(nameof(addedIndex)),
        };
    }
}
