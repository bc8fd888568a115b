using System.Numerics.Tensors;
using Microsoft.ML.Recurrent.Engine.Initializers;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Engine.Layers;

/// <summary>
/// Character features of words (Ma and Hovy 2016): each word's characters are embedded, convolved over
/// positions (zero padding at the word's edges keeps one output per character) and max-pooled, giving one
/// vector of <see cref="OutputSize"/> filters per word however long it is. Words come packed: all their
/// character ids in one span, word w's at [offsets[w], offsets[w + 1]).
/// </summary>
/// <remarks>
/// The convolution of every character of the batch is one matrix product: each character position's window
/// (the embeddings of its k neighbours within its word, zeros past the edges) is a row of
/// <c>windows</c> [C, k*E], neighbour-major so that it is k row copies, and responses [C, F] =
/// windows Wk^T + b, where Wk [F, k, E] is the weight [F, E, k] with its last two axes swapped
/// (PyTorch <c>nn.Conv1d(E, F, k, padding=k/2)</c> per word). Dims legend: C = characters of the batch,
/// N = words, E = character embedding width, F = filters, k = kernel width.
/// </remarks>
public sealed class CharacterCnn
{
    private readonly Embedding _embedding;
    private readonly int _kernel;
    private readonly float[] _kernelMajor, _dKernelMajor;
    private float[] _rows = [], _windows = [], _responses = [], _dWindows = [];
    private int[] _argMax = [], _chars = [], _offsets = [];
    private int _words, _total;

    /// <summary>Creates the layer with zero weights (see <see cref="Initialize"/>).</summary>
    /// <param name="vocabularySize">Character ids in [0, vocabularySize).</param>
    /// <param name="embeddingSize">Width of a character's embedding.</param>
    /// <param name="filters">Convolution filters: the width of a word's vector.</param>
    /// <param name="kernel">Characters each filter sees (odd).</param>
    public CharacterCnn(int vocabularySize, int embeddingSize, int filters, int kernel = 3)
    {
        if (kernel < 1 || kernel % 2 == 0) throw new ArgumentOutOfRangeException(nameof(kernel), kernel, "The kernel must be a positive odd width.");
        ArgumentOutOfRangeException.ThrowIfLessThan(filters, 1);
        _kernel = kernel;
        _embedding = new Embedding(vocabularySize, embeddingSize, "chars.");
        // PyTorch's Conv1d shapes, with the trailing unit width of the 2-D kernel the model files have always stored.
        Weight = new Parameter("chars.conv.weight", filters, embeddingSize, kernel, 1);
        Bias = new Parameter("chars.conv.bias", filters);
        Parameters = [_embedding.Weight, Weight, Bias];
        _kernelMajor = new float[Weight.Size];
        _dKernelMajor = new float[Weight.Size];
    }

    /// <summary>Filters per word.</summary>
    public int OutputSize => Bias.Size;

    /// <summary>The convolution weight [F, E, k, 1].</summary>
    public Parameter Weight { get; }

    /// <summary>The convolution bias [F].</summary>
    public Parameter Bias { get; }

    /// <summary>The character embedding, then the convolution's weight and bias.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    private int WindowWidth => _embedding.EmbeddingSize * _kernel;

    /// <summary>Character embeddings N(0, 1/E), convolution Kaiming-uniform (fan in E*k), zero bias.</summary>
    public void Initialize(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Initializer.Normal(_embedding.Weight, 1f / MathF.Sqrt(_embedding.EmbeddingSize), random);
        float bound = MathF.Sqrt(6f / WindowWidth);
        for (int i = 0; i < Weight.Size; i++) Weight.Value[i] = (random.NextSingle() * 2 - 1) * bound;
    }

    /// <summary>output[w] = max over positions of conv(embed(chars of word w)), [N, F].</summary>
    /// <param name="chars">All words' character ids.</param>
    /// <param name="offsets">[N + 1] where each word's characters start (offsets[0] = 0, offsets[N] = chars.Length); every word has at least one.</param>
    /// <param name="output">[N, F] receives the word vectors.</param>
    public void Forward(ReadOnlySpan<int> chars, ReadOnlySpan<int> offsets, Span<float> output)
    {
        int words = offsets.Length - 1, e = _embedding.EmbeddingSize, f = OutputSize, width = WindowWidth, total = chars.Length;
        if (words < 0 || offsets[0] != 0 || offsets[^1] != total) throw new ArgumentException("offsets must run from 0 to chars.Length.", nameof(offsets));
        if (output.Length != words * f) throw new ArgumentException($"output must hold [N={words}, F={f}] values but holds {output.Length}.", nameof(output));
        for (int w = 0; w < words; w++)
            if (offsets[w + 1] <= offsets[w]) throw new ArgumentException($"Word {w} has no characters.", nameof(offsets));
        Workspace.Grow(ref _rows, total * e); Workspace.Grow(ref _windows, total * width); Workspace.Grow(ref _responses, total * f);
        Workspace.Grow(ref _argMax, words * f); Workspace.Grow(ref _chars, total); Workspace.Grow(ref _offsets, words + 1);
        chars.CopyTo(_chars);
        offsets.CopyTo(_offsets);
        (_words, _total) = (words, total);
        Span<float> rows = _rows.AsSpan(0, total * e), windows = _windows.AsSpan(0, total * width), responses = _responses.AsSpan(0, total * f);
        _embedding.Forward(chars, rows);
        Windows(offsets, rows, windows);
        SwapKernelAxes(Weight.Value, _kernelMajor, e, _kernel);
        if (total > 0) Gemm.NT(total, f, width, windows, width, _kernelMajor, width, responses, f, accumulate: false, rowBias: Bias.Value);
        for (int w = 0; w < words; w++)
        {
            int start = offsets[w], end = offsets[w + 1];
            Span<int> argMax = _argMax.AsSpan(w * f, f);
            Span<float> best = output.Slice(w * f, f);
            responses.Slice(start * f, f).CopyTo(best);
            argMax.Fill(start);
            for (int p = start + 1; p < end; p++)
            {
                ReadOnlySpan<float> response = responses.Slice(p * f, f);
                for (int j = 0; j < f; j++)
                    if (response[j] > best[j]) { best[j] = response[j]; argMax[j] = p; }
            }
        }
    }

    /// <summary>Backpropagates dOutput [N, F] of the last forward call into the embedding and convolution gradients.</summary>
    public void Backward(ReadOnlySpan<float> dOutput)
    {
        int words = _words, total = _total, e = _embedding.EmbeddingSize, f = OutputSize, width = WindowWidth;
        if (dOutput.Length != words * f) throw new ArgumentException($"dOutput must hold [N={words}, F={f}] values but holds {dOutput.Length}.", nameof(dOutput));
        if (total == 0) return;
        // The max passes each word's filter gradient to the one position that won, so the response gradient is
        // sparse (one row in a word's length per filter): the weight and window gradients are sums over winners.
        Span<float> dWindows = Workspace.Grow(ref _dWindows, total * width).AsSpan(0, total * width), dKernel = _dKernelMajor;
        dWindows.Clear();
        dKernel.Clear();
        for (int w = 0; w < words; w++)
            for (int j = 0; j < f; j++)
            {
                float g = dOutput[w * f + j];
                if (g == 0) continue;
                int p = _argMax[w * f + j];
                TensorPrimitives.MultiplyAdd(_windows.AsSpan(p * width, width), g, dKernel.Slice(j * width, width), dKernel.Slice(j * width, width));
                TensorPrimitives.MultiplyAdd(_kernelMajor.AsSpan(j * width, width), g, dWindows.Slice(p * width, width), dWindows.Slice(p * width, width));
            }
        AddSwapped(dKernel, Weight.Gradient, f, _kernel, e);
        Gemm.AddColumnSums(words, f, dOutput, f, Bias.Gradient);
        Span<float> dRows = _rows.AsSpan(0, total * e);
        dRows.Clear();
        int half = _kernel / 2;
        for (int w = 0; w < words; w++)
        {
            int start = _offsets[w], end = _offsets[w + 1];
            for (int p = start; p < end; p++)
                for (int i = 0; i < _kernel; i++)
                {
                    int source = p + i - half;
                    if (source < start || source >= end) continue;
                    Span<float> dRow = dRows.Slice(source * e, e);
                    TensorPrimitives.Add(dRow, dWindows.Slice(p * width + i * e, e), dRow);
                }
        }
        _embedding.Backward(_chars.AsSpan(0, total), dRows);
    }

    /// <summary>windows[p, i*E + c] = rows[p + i - k/2, c] when that position is in p's word, else 0.</summary>
    private void Windows(ReadOnlySpan<int> offsets, ReadOnlySpan<float> rows, Span<float> windows)
    {
        int e = _embedding.EmbeddingSize, width = WindowWidth, half = _kernel / 2;
        windows.Clear();
        for (int w = 0; w < offsets.Length - 1; w++)
        {
            int start = offsets[w], end = offsets[w + 1];
            for (int p = start; p < end; p++)
            {
                Span<float> window = windows.Slice(p * width, width);
                for (int i = 0; i < _kernel; i++)
                {
                    int source = p + i - half;
                    if (source < start || source >= end) continue;
                    rows.Slice(source * e, e).CopyTo(window.Slice(i * e, e));
                }
            }
        }
    }

    /// <summary>to[f, i, c] = from[f, c, i]: the weight [F, E, k] in the windows' neighbour-major order [F, k, E].</summary>
    private static void SwapKernelAxes(ReadOnlySpan<float> from, Span<float> to, int e, int k)
    {
        for (int f = 0; f < from.Length / (e * k); f++)
            for (int c = 0; c < e; c++)
                for (int i = 0; i < k; i++) to[(f * k + i) * e + c] = from[(f * e + c) * k + i];
    }

    /// <summary>to[f, c, i] += from[f, i, c]: a neighbour-major gradient added to the weight's gradient.</summary>
    private static void AddSwapped(ReadOnlySpan<float> from, Span<float> to, int filters, int k, int e)
    {
        for (int f = 0; f < filters; f++)
            for (int i = 0; i < k; i++)
                for (int c = 0; c < e; c++) to[(f * e + c) * k + i] += from[(f * k + i) * e + c];
    }
}
