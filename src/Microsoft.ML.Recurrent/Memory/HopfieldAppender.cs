using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Data;

namespace Microsoft.ML.Recurrent.Memory;

/// <summary>Appends an associative memory's Recalled, Energy, Iterations and MatchedPattern columns, one row at a time.</summary>
internal sealed class HopfieldAppender : ColumnAppender
{
    private readonly HopfieldMemoryTransformer _model;
    private readonly DataViewSchema.Column _input;

    public HopfieldAppender(HopfieldMemoryTransformer model, DataViewSchema inputSchema) : base(inputSchema, HopfieldMemoryTransformer.OutputColumns(model.Size))
    {
        _model = model;
        (_input, int size) = PatternColumn.Check(inputSchema, model.InputColumnName);
        if (size != model.Size) throw new ArgumentOutOfRangeException(nameof(inputSchema), $"The pattern column '{model.InputColumnName}' holds vectors of {size}; the memory stores patterns of {model.Size}.");
    }

    public override IEnumerable<DataViewSchema.Column> Dependencies => [_input];

    public override IAddedColumns Bind(DataViewRow input) =>
        new Row(_model, input, PatternColumn.Reader(input, _input, _model.Size, _model.Memory.Options.Kind == HopfieldMemoryKind.Binary));

    private sealed class Row(HopfieldMemoryTransformer model, DataViewRow input, Func<float[]> read) : IAddedColumns
    {
        private readonly PositionCache<(float[] Recalled, float Energy, int Iterations, int Matched)> _result = new(input, () => model.Memory.Recall(read(), input.Position));

        public Delegate GetGetter(int addedIndex) => addedIndex switch
        {
            0 => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) => value = new VBuffer<float>(model.Size, _result.Value.Recalled)),
            1 => (ValueGetter<float>)((ref float value) => value = _result.Value.Energy),
            2 => (ValueGetter<int>)((ref int value) => value = _result.Value.Iterations),
            3 => (ValueGetter<int>)((ref int value) => value = _result.Value.Matched),
            _ => throw new ArgumentOutOfRangeException(nameof(addedIndex)),
        };
    }
}
