using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Data;

namespace Microsoft.ML.Recurrent.Audio;

/// <summary>Appends each row's audio features.</summary>
internal sealed class AudioFeaturizingAppender : ColumnAppender
{
    private readonly AudioFeaturizingTransformer _model;
    private readonly DataViewSchema.Column _samples;

    public AudioFeaturizingAppender(AudioFeaturizingTransformer model, DataViewSchema inputSchema) : base(inputSchema, model.AddedColumns())
    {
        _model = model;
        string name = model.Options.InputColumnName;
        _samples = inputSchema.GetColumnOrNull(name) ?? throw new ArgumentOutOfRangeException(nameof(inputSchema), $"The samples column '{name}' is not in the input schema.");
        if (_samples.Type is not VectorDataViewType { ItemType: NumberDataViewType n } || n != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"The samples column '{name}' is {_samples.Type}; it must be a vector of Single.");
    }

    public override IEnumerable<DataViewSchema.Column> Dependencies => [_samples];

    public override IAddedColumns Bind(DataViewRow input) => new Row(_model.Options.Featurizer(_model.Mean?.ToArray(), _model.Variance?.ToArray()), input, input.GetGetter<VBuffer<float>>(_samples), _model.Options.InputColumnName);

    private sealed class Row : IAddedColumns
    {
        private readonly PositionCache<float[]> _features;

        public Row(Func<float[], float[]> featurize, DataViewRow input, ValueGetter<VBuffer<float>> samples, string column) => _features = new(input, () =>
        {
            VBuffer<float> buffer = default;
            samples(ref buffer);
            float[] values = buffer.DenseValues().ToArray();
            for (int i = 0; i < values.Length; i++)
                if (!float.IsFinite(values[i])) throw new InvalidDataException($"Row {input.Position} of the samples column '{column}' holds {values[i]} at index {i}.");
            return featurize(values);
        });

        public Delegate GetGetter(int addedIndex) => addedIndex == 0
            ? (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) => { float[] f = _features.Value; value = new VBuffer<float>(f.Length, f); })
            : throw new ArgumentOutOfRangeException(nameof(addedIndex));
    }
}
