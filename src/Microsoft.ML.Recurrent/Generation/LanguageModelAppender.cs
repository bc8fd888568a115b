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

    private sealed class Row(LanguageModelTransformer model, DataViewRow input, ValueGetter<ReadOnlyMemory<char>> text) : IAddedColumns
    {
        private readonly TextGenerator _generator = model.CreateGenerator();
        private long _generatedAt = -1, _scoredAt = -1;
        private string _generated = "";
        private float _perplexity;

        public Delegate GetGetter(int addedIndex) => addedIndex switch
        {
            0 => StepColumns.Text(() => Generated()),
            1 => (ValueGetter<float>)((ref float value) => value = Perplexity()),
            _ => throw new ArgumentOutOfRangeException(nameof(addedIndex)),
        };

        private string Prompt()
        {
            ReadOnlyMemory<char> value = default;
            text(ref value);
            return value.ToString();
        }

        private string Generated()
        {
            if (_generatedAt == input.Position) return _generated;
            GenerationOptions options = model.Generation.Clone();
            options.Seed = unchecked(options.Seed + (int)input.Position);
            _generated = _generator.Generate(Prompt(), options);
            _generatedAt = input.Position;
            return _generated;
        }

        private float Perplexity()
        {
            if (_scoredAt == input.Position) return _perplexity;
            _perplexity = (float)_generator.Perplexity(Prompt());
            _scoredAt = input.Position;
            return _perplexity;
        }
    }
}
