using Microsoft.ML.Recurrent.Engine.Initializers;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Engine.Layers;

/// <summary>
/// Character features of words (Ma and Hovy 2016): each word's characters are embedded, convolved over
/// positions (zero padding keeps one output per character) and max-pooled, giving one vector of
/// <see cref="OutputSize"/> filters per word however long it is. Words come packed: all their character ids
/// in one span, word w's at [offsets[w], offsets[w + 1]).
/// </summary>
public sealed class CharacterCnn
{
    private readonly Embedding _embedding;
    private readonly Conv1d _conv;
    private readonly int _kernel;
    private float[] _rows = [], _inputs = [], _outputs = [], _dOutputs = [], _dInputs = [];
    private int[] _argMax = [], _chars = [], _offsets = [];

    /// <summary>Creates the layer with zero weights (see <see cref="Initialize"/>).</summary>
    /// <param name="vocabularySize">Character ids in [0, vocabularySize).</param>
    /// <param name="embeddingSize">Width of a character's embedding.</param>
    /// <param name="filters">Convolution filters: the width of a word's vector.</param>
    /// <param name="kernel">Characters each filter sees (odd).</param>
    public CharacterCnn(int vocabularySize, int embeddingSize, int filters, int kernel = 3)
    {
        if (kernel < 1 || kernel % 2 == 0) throw new ArgumentOutOfRangeException(nameof(kernel), kernel, "The kernel must be a positive odd width.");
        _kernel = kernel;
        _embedding = new Embedding(vocabularySize, embeddingSize, "chars.");
        _conv = new Conv1d(embeddingSize, filters, kernel, stride: 1, padding: kernel / 2, "chars.conv.");
        Parameters = [_embedding.Weight, .. _conv.Parameters];
    }

    /// <summary>Filters per word.</summary>
    public int OutputSize => _conv.Bias.Size;

    /// <summary>The character embedding, then the convolution's weight and bias.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Character embeddings N(0, 1/E), convolution Kaiming-uniform (fan in E*k), zero bias.</summary>
    public void Initialize(Random random)
    {
        Initializer.Normal(_embedding.Weight, 1f / MathF.Sqrt(_embedding.EmbeddingSize), random);
        float bound = MathF.Sqrt(6f / (_embedding.EmbeddingSize * _kernel));
        for (int i = 0; i < _conv.Weight.Size; i++) _conv.Weight.Value[i] = (random.NextSingle() * 2 - 1) * bound;
    }

    /// <summary>output[w] = max over positions of conv(embed(chars of word w)), [N, F].</summary>
    /// <param name="chars">All words' character ids.</param>
    /// <param name="offsets">[N + 1] where each word's characters start (offsets[0] = 0, offsets[N] = chars.Length); every word has at least one.</param>
    /// <param name="output">[N, F] receives the word vectors.</param>
    public void Forward(ReadOnlySpan<int> chars, ReadOnlySpan<int> offsets, Span<float> output)
    {
        int words = offsets.Length - 1, e = _embedding.EmbeddingSize, f = OutputSize;
        if (words < 0 || offsets[0] != 0 || offsets[^1] != chars.Length) throw new ArgumentException("offsets must run from 0 to chars.Length.", nameof(offsets));
        if (output.Length != words * f) throw new ArgumentException($"output must hold [N={words}, F={f}] values but holds {output.Length}.", nameof(output));
        int total = chars.Length;
        Grow(ref _rows, total * e); Grow(ref _inputs, total * e); Grow(ref _outputs, total * f);
        if (_argMax.Length < words * f) _argMax = new int[words * f];
        _chars = chars.ToArray();
        _offsets = offsets.ToArray();
        _embedding.Forward(chars, _rows.AsSpan(0, total * e));
        for (int w = 0; w < words; w++)
        {
            int start = offsets[w], length = offsets[w + 1] - start;
            if (length < 1) throw new ArgumentException($"Word {w} has no characters.", nameof(offsets));
            Span<float> x = _inputs.AsSpan(start * e, length * e), y = _outputs.AsSpan(start * f, length * f);
            for (int c = 0; c < e; c++)
                for (int l = 0; l < length; l++) x[c * length + l] = _rows[(start + l) * e + c];
            _conv.Forward(x, length, y);
            for (int k = 0; k < f; k++)
            {
                int best = 0;
                for (int l = 1; l < length; l++) if (y[k * length + l] > y[k * length + best]) best = l;
                _argMax[w * f + k] = best;
                output[w * f + k] = y[k * length + best];
            }
        }
    }

    /// <summary>Backpropagates dOutput [N, F] of the last forward call into the embedding and convolution gradients.</summary>
    public void Backward(ReadOnlySpan<float> dOutput)
    {
        int words = _offsets.Length - 1, e = _embedding.EmbeddingSize, f = OutputSize, total = _chars.Length;
        Grow(ref _dOutputs, total * f); Grow(ref _dInputs, total * e);
        Span<float> dRows = _rows.AsSpan(0, total * e);
        for (int w = 0; w < words; w++)
        {
            int start = _offsets[w], length = _offsets[w + 1] - start;
            Span<float> dy = _dOutputs.AsSpan(start * f, length * f), dx = _dInputs.AsSpan(start * e, length * e);
            dy.Clear();
            for (int k = 0; k < f; k++) dy[k * length + _argMax[w * f + k]] = dOutput[w * f + k];
            _conv.Backward(_inputs.AsSpan(start * e, length * e), length, dy, dx);
            for (int c = 0; c < e; c++)
                for (int l = 0; l < length; l++) dRows[(start + l) * e + c] = dx[c * length + l];
        }
        _embedding.Backward(_chars, dRows);
    }

    private static void Grow(ref float[] buffer, int size)
    {
        if (buffer.Length < size) buffer = new float[size];
    }
}
