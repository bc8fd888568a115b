using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Sequences;

namespace Microsoft.ML.Recurrent.Persistence;

/// <summary>
/// The section payload of a <see cref="RecurrentSequenceTransformer"/>: the sequence column
/// (name, vocabulary size, frame size), the objective (task, and class names or label scaling),
/// then the network (<see cref="NetworkCodec"/>).
/// </summary>
internal static class SequenceModelCodec
{
    public static void Write(ModelWriter writer, RecurrentSequenceTransformer model)
    {
        writer.WriteString(model.Features.Name);
        writer.WriteInt32(model.Features.VocabularySize);
        writer.WriteInt32(model.Features.FrameSize);
        switch (model.Objective)
        {
            case BinaryObjective:
                writer.WriteByte((byte)SequenceTask.BinaryClassification);
                break;
            case MulticlassObjective multiclass:
                writer.WriteByte((byte)SequenceTask.MulticlassClassification);
                writer.WriteInt32(multiclass.ClassCount);
                writer.WriteBoolean(multiclass.ClassNames is not null);
                foreach (string name in multiclass.ClassNames ?? []) writer.WriteString(name);
                break;
            case RegressionObjective regression:
                writer.WriteByte((byte)SequenceTask.Regression);
                writer.WriteSingle(regression.LabelMean);
                writer.WriteSingle(regression.LabelScale);
                break;
            default:
                throw new NotSupportedException($"No format for objective {model.Objective.GetType().Name}.");
        }
        NetworkCodec.Write(writer, model.Network);
    }

    public static RecurrentSequenceTransformer Read(ModelReader reader)
    {
        string column = reader.ReadString(1024);
        int vocabulary = reader.ReadInt32(0, int.MaxValue, "the vocabulary size");
        int frameSize = reader.ReadInt32(1, 1 << 20, "the frame size");
        byte task = reader.ReadByte();
        SequenceObjective objective = (SequenceTask)task switch
        {
            SequenceTask.BinaryClassification => new BinaryObjective(),
            SequenceTask.MulticlassClassification => ReadMulticlass(reader),
            SequenceTask.Regression => ReadRegression(reader),
            _ => throw reader.Corrupt($"task {task} is unknown"),
        };
        ManyToOneNetwork network = NetworkCodec.Read(reader);
        if (network.Architecture.OutputSize != objective.OutputSize || network.Architecture.VocabularySize != vocabulary)
            throw reader.Corrupt("the network does not fit its objective or its sequence column");
        return new RecurrentSequenceTransformer(network, SequenceFeatureColumn.Create(column, vocabulary, frameSize), objective, []);
    }

    private static MulticlassObjective ReadMulticlass(ModelReader reader)
    {
        int count = reader.ReadInt32(2, 1 << 20, "the class count");
        if (!reader.ReadBoolean()) return new MulticlassObjective(count, null);
        if (count > reader.Remaining / 4) throw reader.Corrupt($"{count} class names cannot fit in {reader.Remaining} bytes");
        var names = new string[count];
        for (int i = 0; i < count; i++) names[i] = reader.ReadString(1 << 16);
        return new MulticlassObjective(count, names);
    }

    private static RegressionObjective ReadRegression(ModelReader reader)
    {
        float mean = reader.ReadFiniteSingle("the label mean"), scale = reader.ReadFiniteSingle("the label scale");
        if (!(scale > 0)) throw reader.Corrupt($"the label scale is {scale}");
        return new RegressionObjective(mean, scale);
    }
}
