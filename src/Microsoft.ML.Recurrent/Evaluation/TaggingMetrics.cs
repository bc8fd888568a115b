using System.Text;

namespace Microsoft.ML.Recurrent;

/// <summary>Precision, recall and F1 of one class (a tag, or a chunk type), with the counts they come from.</summary>
/// <param name="Name">The tag or chunk type.</param>
/// <param name="TruePositives">Predicted and correct.</param>
/// <param name="FalsePositives">Predicted but wrong.</param>
/// <param name="FalseNegatives">In the gold data but not predicted.</param>
public sealed record ClassScores(string Name, long TruePositives, long FalsePositives, long FalseNegatives)
{
    /// <summary>TP / (TP + FP), or 0 when nothing was predicted.</summary>
    public double Precision => TruePositives + FalsePositives == 0 ? 0 : (double)TruePositives / (TruePositives + FalsePositives);

    /// <summary>TP / (TP + FN), or 0 when there is nothing to find.</summary>
    public double Recall => TruePositives + FalseNegatives == 0 ? 0 : (double)TruePositives / (TruePositives + FalseNegatives);

    /// <summary>The harmonic mean of precision and recall.</summary>
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    /// <summary>Gold occurrences (TP + FN).</summary>
    public long Support => TruePositives + FalseNegatives;
}

/// <summary>
/// What ML.NET lacks for taggers: token accuracy; per-tag, micro and macro precision/recall/F1; chunk
/// (entity) precision/recall/F1 overall and per type (conlleval's reading, or seqeval's strict mode);
/// the confusion matrix; and a printable report (<see cref="ToString"/>).
/// </summary>
public sealed class TaggingMetrics
{
    internal TaggingMetrics(IReadOnlyList<string> tags, long[,] confusion, IReadOnlyList<ClassScores> chunkTypes, long sentences, bool strict)
    {
        TagNames = tags;
        ConfusionMatrix = confusion;
        Sentences = sentences;
        Strict = strict;
        long correct = 0, tokens = 0;
        var perTag = new List<ClassScores>();
        for (int i = 0; i < tags.Count; i++)
        {
            long tp = confusion[i, i], fp = 0, fn = 0;
            for (int j = 0; j < tags.Count; j++)
            {
                tokens += confusion[i, j];
                if (j == i) continue;
                fp += confusion[j, i];
                fn += confusion[i, j];
            }
            correct += tp;
            perTag.Add(new ClassScores(tags[i], tp, fp, fn));
        }
        Tokens = tokens;
        TokenAccuracy = tokens == 0 ? 0 : (double)correct / tokens;
        PerTag = perTag;
        MacroF1 = perTag.Count(s => s.Support > 0) is int present and > 0 ? perTag.Where(s => s.Support > 0).Average(s => s.F1) : 0;
        PerChunkType = chunkTypes;
        Chunk = new ClassScores("all", chunkTypes.Sum(c => c.TruePositives), chunkTypes.Sum(c => c.FalsePositives), chunkTypes.Sum(c => c.FalseNegatives));
    }

    /// <summary>The tags, in the order of <see cref="PerTag"/> and the confusion matrix.</summary>
    public IReadOnlyList<string> TagNames { get; }

    /// <summary>Sentences evaluated.</summary>
    public long Sentences { get; }

    /// <summary>Tokens evaluated.</summary>
    public long Tokens { get; }

    /// <summary>Correct tags / tokens (equal to the micro-averaged F1 over all tags).</summary>
    public double TokenAccuracy { get; }

    /// <summary>Per-tag precision, recall and F1 (token level).</summary>
    public IReadOnlyList<ClassScores> PerTag { get; }

    /// <summary>The mean F1 of the tags that occur in the gold data.</summary>
    public double MacroF1 { get; }

    /// <summary>Whether chunks were read strictly (seqeval) rather than as conlleval reads them.</summary>
    public bool Strict { get; }

    /// <summary>Chunk (entity) precision, recall and F1 over all types: a chunk counts when its type and both boundaries match. Zero counts for tag sets without chunks (e.g. part of speech).</summary>
    public ClassScores Chunk { get; }

    /// <summary>Chunk scores per type.</summary>
    public IReadOnlyList<ClassScores> PerChunkType { get; }

    /// <summary>counts[gold, predicted] over tokens, in <see cref="TagNames"/> order.</summary>
    public long[,] ConfusionMatrix { get; }

    /// <summary>A printable report: accuracy, chunk scores overall and per type, and the per-tag table.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine($"{Sentences:N0} sentences, {Tokens:N0} tokens: token accuracy {TokenAccuracy:P2}, macro F1 {MacroF1:F4}");
        if (PerChunkType.Count > 0)
        {
            text.AppendLine($"chunks ({(Strict ? "strict" : "conlleval")}): precision {Chunk.Precision:P2}, recall {Chunk.Recall:P2}, F1 {Chunk.F1:F4} ({Chunk.TruePositives} of {Chunk.Support} found, {Chunk.FalsePositives} spurious)");
            foreach (ClassScores c in PerChunkType.OrderByDescending(c => c.Support))
                text.AppendLine($"  {c.Name,-20} P {c.Precision,7:P2}  R {c.Recall,7:P2}  F1 {c.F1:F4}  ({c.Support})");
        }
        text.AppendLine($"{"tag",-20} {"precision",10} {"recall",10} {"F1",8} {"support",9}");
        foreach (ClassScores t in PerTag.OrderByDescending(t => t.Support))
            text.AppendLine($"{t.Name,-20} {t.Precision,10:F4} {t.Recall,10:F4} {t.F1,8:F4} {t.Support,9}");
        return text.ToString();
    }
}
