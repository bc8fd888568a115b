namespace Microsoft.ML.Recurrent.Samples.QuickStart;

/// <summary>One short review and whether it is positive.</summary>
public sealed class Review
{
    /// <summary>The review text.</summary>
    public string Text { get; set; } = "";

    /// <summary>True for a positive review.</summary>
    public bool Label { get; set; }
}

/// <summary>What the model says about a review.</summary>
public sealed class ReviewPrediction
{
    /// <summary>The predicted sentiment.</summary>
    public bool PredictedLabel { get; set; }

    /// <summary>The probability that the review is positive.</summary>
    public float Probability { get; set; }
}

/// <summary>
/// Generates the QuickStart's reviews: judgements whose meaning depends on word order ("not bad" is
/// positive; in "X was good but Y was awful" the clause after "but" decides), so a model has to read
/// the words in sequence.
/// </summary>
public static class Reviews
{
    private static readonly string[] Things = ["the food", "the film", "this phone", "the hotel", "the service", "this book", "the battery", "the staff"];
    private static readonly string[] Good = ["good", "great", "excellent", "lovely", "fine", "superb"];
    private static readonly string[] Bad = ["bad", "awful", "terrible", "poor", "dreadful", "boring"];
    private static readonly string[] Intensifiers = ["", "really ", "very ", "quite "];

    /// <summary><paramref name="count"/> reviews drawn from <paramref name="seed"/>.</summary>
    public static IEnumerable<Review> Generate(int count, int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            bool positive = random.Next(2) == 0;
            string text = $"{Pick(random, Things)} was {Judgement(random, positive)}";
            text = random.Next(3) switch
            {
                0 => $"{Pick(random, Things)} was {Judgement(random, !positive)} but {text}",
                1 => $"{text} , {(positive ? "I would buy it again" : "I would not buy it again")}",
                _ => text,
            };
            yield return new Review { Text = text, Label = positive };
        }
    }

    private static string Judgement(Random random, bool positive)
    {
        bool negated = random.Next(2) == 0;
        return $"{(negated ? "not " : "")}{Pick(random, Intensifiers)}{Pick(random, positive != negated ? Good : Bad)}";
    }

    private static string Pick(Random random, string[] words) => words[random.Next(words.Length)];
}
