using Microsoft.ML.Recurrent.Data;
using System.Text;
using Microsoft.ML.Recurrent.Engine.Layers;
using Microsoft.ML.Recurrent.Engine.Losses;
using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Generation;

namespace Microsoft.ML.Recurrent;

/// <summary>
/// Generates text from a trained language model (<see cref="LanguageModelTransformer.CreateGenerator"/>):
/// streams a continuation symbol by symbol, returns it whole, or scores a text's perplexity. The model reads
/// the end-of-text symbol first (texts follow one another in training), then the prompt; a prompt symbol
/// never seen in training reads as the unknown symbol, which generation itself never writes (it has no text).
/// Not thread-safe: create one generator per thread.
/// </summary>
public sealed class TextGenerator
{
    private readonly LanguageModelNetwork _network;
    private readonly SymbolVocabulary _vocabulary;
    private float[] _scratch = [];

    internal TextGenerator(LanguageModelNetwork network, SymbolVocabulary vocabulary)
    {
        _network = network.Clone();
        _network.Frozen = true;
        _vocabulary = vocabulary;
    }

    /// <summary>The continuation of <paramref name="prompt"/>, one piece of text per generated symbol (sampling; a beam search yields its best text once).</summary>
    public IEnumerable<string> Stream(string prompt, GenerationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        options = (options ?? new GenerationOptions()).Clone();
        options.Validate();
        return options.BeamWidth > 0 ? [BeamSearch.Run(this, prompt, options)] : Sample(prompt, options);
    }

    /// <summary>The continuation of <paramref name="prompt"/> (without the prompt).</summary>
    public string Generate(string prompt, GenerationOptions? options = null) => string.Concat(Stream(prompt, options));

    /// <summary>exp of the mean negative log-likelihood of <paramref name="text"/>'s symbols and of its end, each given the ones before.</summary>
    public double Perplexity(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        (double nats, int symbols) = NegativeLogLikelihood(text);
        return Math.Exp(nats / symbols);
    }

    /// <summary>Total nats of the text's symbols and its end-of-text, and their count.</summary>
    internal (double Nats, int Symbols) NegativeLogLikelihood(string text)
    {
        int[] ids = [.. _vocabulary.Encode(text), SymbolVocabulary.EndOfText];
        int v = _vocabulary.Size;
        RecurrentState state = _network.NewState(1), next = _network.NewState(1);
        int previous = SymbolVocabulary.EndOfText;
        double total = 0;
        foreach (int id in ids)
        {
            ReadOnlySpan<float> logits = _network.Step([previous], state, next, 1);
            total += LogSpace.Sum(logits) - logits[id];
            (state, next) = (next, state);
            previous = id;
        }
        return (total, ids.Length);
    }

    internal SymbolVocabulary Vocabulary => _vocabulary;

    internal LanguageModelNetwork Network => _network;

    /// <summary>States after reading the end-of-text symbol and every prompt symbol but the last, and that last symbol (the next input).</summary>
    internal (RecurrentState State, int Next) Prime(string prompt, int streams)
    {
        int[] ids = [SymbolVocabulary.EndOfText, .. _vocabulary.Encode(prompt)];
        RecurrentState state = _network.NewState(streams), next = _network.NewState(streams);
        int[] input = new int[streams];
        for (int i = 0; i + 1 < ids.Length; i++)
        {
            Array.Fill(input, ids[i]);
            _network.Step(input, state, next, streams);
            (state, next) = (next, state);
        }
        return (state, ids[^1]);
    }

    private IEnumerable<string> Sample(string prompt, GenerationOptions options)
    {
        int v = _vocabulary.Size;
        if (_scratch.Length < v) _scratch = new float[v];
        var random = new Random(options.Seed);
        float[] masked = new float[v];
        (RecurrentState state, int input) = Prime(prompt, 1);
        RecurrentState next = _network.NewState(1);
        var text = new StringBuilder();
        int emitted = 0;
        for (int produced = 0; produced < options.MaximumLength; produced++)
        {
            ReadOnlySpan<float> logits = _network.Step([input], state, next, 1);
            (state, next) = (next, state);
            // Never the unknown symbol: it has no text to write.
            logits.CopyTo(masked);
            masked[SymbolVocabulary.Unknown] = float.NegativeInfinity;
            input = SymbolSampler.Sample(masked, options.Temperature, options.TopK, options.TopP, random, _scratch);
            if (input == SymbolVocabulary.EndOfText) break;
            text.Append(_vocabulary.Render(input, first: produced == 0 && !Continues(prompt)));
            (int safe, bool stopped) = StopString.Scan(text, options.StopString);
            if (safe > emitted) yield return text.ToString(emitted, safe - emitted);
            emitted = Math.Max(emitted, safe);
            if (stopped) yield break;
        }
        if (text.Length > emitted) yield return text.ToString(emitted, text.Length - emitted);
    }

    /// <summary>Whether generated words follow words of the prompt (and so start with a space).</summary>
    internal bool Continues(string prompt) => _vocabulary.Unit == SymbolUnit.Word && _vocabulary.Encode(prompt).Length > 0;
}
