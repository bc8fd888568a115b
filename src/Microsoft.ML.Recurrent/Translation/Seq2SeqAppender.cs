using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Engine.Models;

namespace Microsoft.ML.Recurrent.Translation;

/// <summary>Appends a seq2seq model's PredictedText, PredictedSymbols and (when asked) AttentionWeights, decoding each row's source once.</summary>
internal sealed class Seq2SeqAppender : ColumnAppender
{
    private readonly Seq2SeqTransformer _model;
    private readonly SymbolColumn _source;

    public Seq2SeqAppender(Seq2SeqTransformer model, DataViewSchema inputSchema)
        : base(inputSchema, Seq2SeqTransformer.OutputColumns(model.TargetVocabulary, model.Decoding.OutputAttention))
    {
        _model = model;
        _source = SymbolColumn.Bind(inputSchema, model.SourceColumnName, "source");
    }

    public override IEnumerable<DataViewSchema.Column> Dependencies => [_source.Column];

    public override IAddedColumns Bind(DataViewRow input) => new Row(_model, input, _source.Reader(input));

    private sealed class Row : IAddedColumns
    {
        private readonly Seq2SeqTransformer _model;
        private readonly PositionCache<Seq2SeqHypothesis> _output;

        public Row(Seq2SeqTransformer model, DataViewRow input, Func<string> source)
        {
            _model = model;
            Seq2SeqNetwork network = model.InferenceNetwork();
            _output = new(input, () =>
            {
                string value = source();
                if (value.Length == 0) throw new InvalidOperationException($"Row {input.Position}: the source column '{model.SourceColumnName}' is empty; the model needs at least one source symbol.");
                return model.Decode(network, [value], model.Decoding.OutputAttention)[0];
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
