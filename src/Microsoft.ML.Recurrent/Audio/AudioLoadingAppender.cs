using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Data;

namespace Microsoft.ML.Recurrent.Audio;

/// <summary>Appends the samples of each row's WAV file.</summary>
internal sealed class AudioLoadingAppender : ColumnAppender
{
    private readonly AudioLoadingTransformer _model;
    private readonly DataViewSchema.Column _path;

    public AudioLoadingAppender(AudioLoadingTransformer model, DataViewSchema inputSchema) : base(inputSchema, model.AddedColumns())
    {
        _model = model;
        _path = inputSchema.GetColumnOrNull(model.InputColumnName) ?? throw new ArgumentOutOfRangeException(nameof(inputSchema), $"The path column '{model.InputColumnName}' is not in the input schema.");
        if (_path.Type != TextDataViewType.Instance) throw new ArgumentOutOfRangeException(nameof(inputSchema), $"The path column '{_path.Name}' is {_path.Type}; it must be text (file paths).");
    }

    public override IEnumerable<DataViewSchema.Column> Dependencies => [_path];

    public override IAddedColumns Bind(DataViewRow input) => new Row(_model, input, input.GetGetter<ReadOnlyMemory<char>>(_path));

    private sealed class Row : IAddedColumns
    {
        private readonly PositionCache<float[]> _samples;

        public Row(AudioLoadingTransformer model, DataViewRow input, ValueGetter<ReadOnlyMemory<char>> path) => _samples = new(input, () =>
        {
            ReadOnlyMemory<char> value = default;
            path(ref value);
            string file = value.ToString();
            if (!File.Exists(file)) throw new FileNotFoundException($"Row {input.Position} of the path column '{model.InputColumnName}' names '{file}', which does not exist.", file);
            WavAudio audio = WavReader.Read(file);
            return Resampler.Resample(audio.Samples, audio.SampleRate, model.SampleRate);
        });

        public Delegate GetGetter(int addedIndex) => addedIndex == 0
            ? (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) => { float[] s = _samples.Value; value = new VBuffer<float>(s.Length, s); })
            : throw new ArgumentOutOfRangeException(nameof(addedIndex));
    }
}
