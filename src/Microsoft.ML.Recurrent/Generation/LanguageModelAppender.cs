using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Data;

namespace Microsoft.ML.Recurrent.Generation;

/// <summary>Appends a language model's GeneratedText and Perplexity columns, one row at a time (generation is sequential).</summary>
internal sealed class LanguageModelAppender : ColumnAppender
{
    private readonly LanguageModelTransformer _model;
    private readonly DataViewSchema.Column _text;

    public LanguageModelAppender(LanguageModelTransformer model, DataViewSchema inputSchema) : base(inputSchema, LanguageModelTransformer.OutputColumns())
    {
        _model = model;
        _text = TextColumn.Check(inputSchema, model.TextColumnName);
    }

    public override IEnumerable<DataViewSchema.Column> Dependencies => [_text];

    public override IAddedColumns Bind(DataViewRow input) => new Row(_model, input, input.GetGetter<ReadOnlyMemory<char>>(_text));

    private sealed class Row : IAddedColumns
    {
        private readonly PositionCache<string> _generated;
        private readonly PositionCache<float> _perplexity;

        public Row(LanguageModelTransformer model, DataViewRow input, ValueGetter<ReadOnlyMemory<char>> text)
        {
            TextGenerator generator = model.CreateGenerator();
            string Prompt()
            {
                ReadOnlyMemory<char> value = default;
                text(ref value);
                return value.ToString();
            }
            _generated = new(input, () =>
            {
                GenerationOptions options = model.Generation.Clone();
                options.Seed = unchecked(options.Seed + (int)input.Position);
                return generator.Generate(Prompt(), options);
            });
            _perplexity = new(input, () => (float)generator.Perplexity(Prompt()));
        }

        public Delegate GetGetter(int addedIndex) => addedIndex switch
        {
            0 => StepColumns.Text(() => _generated.Value),
            1 => (ValueGetter<float>)((ref float value) => value = _perplexity.Value),
            _ => throw new ArgumentOutOfRangeException(nameof(addedIndex)),
        };
    }
}
