using Microsoft.ML.Data;

namespace Microsoft.ML.Recurrent.Tests.Sequences;

/// <summary>Small synthetic sequence tasks that a recurrent model must solve almost perfectly.</summary>
internal static class SyntheticSequences
{
    /// <summary>A variable-length float sequence with a Boolean label.</summary>
    public sealed class SignRow
    {
        [VectorType] public float[] Features { get; set; } = [];
        public bool Label { get; set; }
    }

    /// <summary>A sentence-like string with a class name.</summary>
    public sealed class TextRow
    {
        public string Text { get; set; } = "";
        public string Label { get; set; } = "";
    }

    /// <summary>A fixed-length window with a numeric target.</summary>
    public sealed class WindowRow
    {
        [VectorType(8)] public float[] Features { get; set; } = [];
        public float Label { get; set; }
    }

    /// <summary>Label = whether the sum of 3..12 values (uniform in [-1, 1]) is positive.</summary>
    public static SignRow[] SignOfSum(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            float[] values = [.. Enumerable.Range(0, random.Next(3, 13)).Select(_ => random.NextSingle() * 2 - 1)];
            return new SignRow { Features = values, Label = values.Sum() > 0 };
        })];
    }

    /// <summary>Label = the first word (red, green or blue), followed by 2..9 filler words.</summary>
    public static TextRow[] FirstWord(int count, int seed)
    {
        string[] classes = ["red", "green", "blue"], filler = ["the", "a", "car", "is", "very", "nice", "and", "fast", "old", "new"];
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            string label = classes[random.Next(classes.Length)];
            var words = new List<string> { label };
            for (int i = random.Next(2, 10); i > 0; i--) words.Add(filler[random.Next(filler.Length)]);
            return new TextRow { Text = string.Join(' ', words), Label = label };
        })];
    }

    /// <summary>Label = 2 * last value - first value of an 8-step window (uniform in [-1, 1]).</summary>
    public static WindowRow[] Windows(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            float[] values = [.. Enumerable.Range(0, 8).Select(_ => random.NextSingle() * 2 - 1)];
            return new WindowRow { Features = values, Label = 2 * values[^1] - values[0] };
        })];
    }
}
