using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Persistence;

namespace Microsoft.ML.Recurrent.Sequences;

/// <summary>
/// The model-file section of a <see cref="RecurrentSequenceTransformer"/> (kind 3). Format 2: named
/// values for the sequence column (name, vocabulary size, frame size) and the objective (task, class
/// count or label scaling), the class names, then the network (<see cref="NetworkCodec"/>). Format 1
/// (positional fields in the same order) is still read.
/// </summary>
internal sealed class SequenceModelCodec : ITransformerCodec
{
    public byte Kind => 3;

    public Type TransformerType => typeof(RecurrentSequenceTransformer);

    public void Write(ModelWriter writer, ITransformer transformer)
    {
        var model = (RecurrentSequenceTransformer)transformer;
        var values = new NamedValues()
            .Add("column", model.Features.Name)
            .Add("vocabulary", model.Features.VocabularySize)
            .Add("frame_size", model.Features.FrameSize)
            .Add("fixed_size", model.Features.FixedSize);
        string[] names = [];
        switch (model.Objective)
        {
            case BinaryObjective:
                values.Add("task", nameof(SequenceTask.BinaryClassification));
                break;
            case MulticlassObjective multiclass:
                values.Add("task", nameof(SequenceTask.MulticlassClassification)).Add("classes", multiclass.ClassCount);
                names = [.. multiclass.ClassNames ?? []];
                break;
            case RegressionObjective regression:
                values.Add("task", nameof(SequenceTask.Regression)).Add("label_mean", regression.LabelMean).Add("label_scale", regression.LabelScale);
                break;
            default:
                throw new NotSupportedException($"No format for objective {model.Objective.GetType().Name}.");
        }
        values.Write(writer);
        writer.WriteInt32(names.Length);
        foreach (string name in names) writer.WriteString(name);
        NetworkCodec.Write(writer, model.Network);
    }

    public ITransformer Read(ModelReader reader, int formatVersion)
    {
        if (formatVersion == 1) return ReadVersion1(reader);
        NamedValues values = NamedValues.Read(reader);
        string column = values.String(reader, "column");
        int vocabulary = values.Int32(reader, "vocabulary", 0, int.MaxValue);
        int frameSize = values.Int32(reader, "frame_size", 1, 1 << 20);
        int fixedSize = values.Int32(reader, "fixed_size", 0, int.MaxValue, 0);
        string task = values.String(reader, "task");
        int classes = task == nameof(SequenceTask.MulticlassClassification) ? values.Int32(reader, "classes", 2, 1 << 20) : 0;
        string[]? names = ReadNames(reader, classes);
        SequenceObjective objective = task switch
        {
            nameof(SequenceTask.BinaryClassification) => new BinaryObjective(),
            nameof(SequenceTask.MulticlassClassification) => new MulticlassObjective(classes, names),
            nameof(SequenceTask.Regression) => Regression(reader, values.Single(reader, "label_mean"), values.Single(reader, "label_scale")),
            _ => throw reader.Corrupt($"task '{task}' is unknown"),
        };
        values.ExpectAllRead(reader, "model's sequence section");
        return Finish(reader, SequenceFeatureColumn.Create(column, vocabulary, frameSize, fixedSize), objective, NetworkCodec.Read(reader, formatVersion));
    }

    private static RecurrentSequenceTransformer Finish(ModelReader reader, SequenceFeatureColumn column, SequenceObjective objective, ManyToOneNetwork network)
    {
        if (network.Architecture.OutputSize != objective.OutputSize || network.Architecture.VocabularySize != column.VocabularySize)
            throw reader.Corrupt("the network does not fit its objective or its sequence column");
        return new RecurrentSequenceTransformer(network, column, objective, []);
    }

    /// <summary>The class names (none, or one per class), or null when there are none.</summary>
    private static string[]? ReadNames(ModelReader reader, int classes)
    {
        int named = reader.ReadInt32(0, classes, "the number of class names");
        if (named == 0) return null;
        if (named != classes) throw reader.Corrupt($"{named} class names for {classes} classes");
        if (named > reader.Remaining / 4) throw reader.Corrupt($"{named} class names cannot fit in {reader.Remaining} bytes");
        var names = new string[named];
        for (int i = 0; i < named; i++) names[i] = reader.ReadString(1 << 16);
        return names;
    }

    private static RegressionObjective Regression(ModelReader reader, float mean, float scale) =>
        scale > 0 ? new RegressionObjective(mean, scale) : throw reader.Corrupt($"the label scale is {scale}");

    /// <summary>Format 1: column name, vocabulary, frame size, task byte, objective fields, network.</summary>
    private static RecurrentSequenceTransformer ReadVersion1(ModelReader reader)
    {
        string column = reader.ReadString(1024);
        int vocabulary = reader.ReadInt32(0, int.MaxValue, "the vocabulary size");
        int frameSize = reader.ReadInt32(1, 1 << 20, "the frame size");
        byte task = reader.ReadByte();
        SequenceObjective objective = (SequenceTask)task switch
        {
            SequenceTask.BinaryClassification => new BinaryObjective(),
            SequenceTask.MulticlassClassification => ReadMulticlassVersion1(reader),
            SequenceTask.Regression => Regression(reader, reader.ReadFiniteSingle("the label mean"), reader.ReadFiniteSingle("the label scale")),
            _ => throw reader.Corrupt($"task {task} is unknown"),
        };
        return Finish(reader, SequenceFeatureColumn.Create(column, vocabulary, frameSize), objective, NetworkCodec.Read(reader, 1));
    }

    private static MulticlassObjective ReadMulticlassVersion1(ModelReader reader)
    {
        int count = reader.ReadInt32(2, 1 << 20, "the class count");
        if (!reader.ReadBoolean()) return new MulticlassObjective(count, null);
        if (count > reader.Remaining / 4) throw reader.Corrupt($"{count} class names cannot fit in {reader.Remaining} bytes");
        var names = new string[count];
        for (int i = 0; i < count; i++) names[i] = reader.ReadString(1 << 16);
        return new MulticlassObjective(count, names);
    }
}
