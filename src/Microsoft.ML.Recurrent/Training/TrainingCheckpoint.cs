using System.Buffers.Binary;
using Microsoft.ML.Recurrent.Engine.Optimizers;
using Microsoft.ML.Recurrent.Engine.Tensors;
using Microsoft.ML.Recurrent.Persistence;

namespace Microsoft.ML.Recurrent.Training;

/// <summary>
/// A training checkpoint: magic "MLRNNCKP", format version, the run's configuration fingerprint,
/// progress (epoch, early-stopping, divergence and plateau state, history), parameter values, the best epoch's and the
/// averaged weights, optimizer state, and a CRC-32
/// trailer. Resuming from it reproduces an uninterrupted run exactly, because every epoch's shuffling
/// and dropout come from (seed, epoch) alone.
/// </summary>
internal static class TrainingCheckpoint
{
    private const int Version = 3;

    private static ReadOnlySpan<byte> Magic => "MLRNNCKP"u8;

    /// <summary>Writes the checkpoint atomically.</summary>
    public static void Save(string path, string fingerprint, IReadOnlyList<Parameter> parameters, Optimizer optimizer, TrainingState progress)
    {
        var writer = new ModelWriter();
        writer.WriteBytes(Magic);
        writer.WriteInt32(Version);
        writer.WriteString(fingerprint);
        writer.WriteInt32(progress.Epoch);
        writer.WriteInt32(progress.SinceBest);
        writer.WriteDouble(progress.BestMetric);
        writer.WriteDouble(progress.InitialLoss);
        writer.WriteSingle(progress.PlateauScale);
        writer.WriteDouble(progress.PlateauBest);
        writer.WriteInt32(progress.PlateauWait);
        writer.WriteInt32(progress.History.Count);
        foreach (RecurrentEpochMetrics h in progress.History)
        {
            writer.WriteInt32(h.Epoch);
            writer.WriteString(h.MetricName);
            foreach (double v in new[] { h.TrainingLoss, h.ValidationLoss, h.ValidationMetric, h.SequencesPerSecond })
                writer.WriteDouble(v);
        }
        NetworkCodec.WriteParameters(writer, parameters);
        writer.WriteBoolean(progress.Best is not null);
        foreach (float[] values in progress.Best ?? []) writer.WriteSingles(values);
        writer.WriteBoolean(progress.Averaged is not null);
        foreach (float[] values in progress.Averaged ?? []) writer.WriteSingles(values);
        writer.WriteInt32(optimizer.StepCount);
        foreach (float[][]? buffers in optimizer.ExportState())
        {
            writer.WriteBoolean(buffers is not null);
            foreach (float[] buffer in buffers ?? []) writer.WriteSingles(buffer);
        }
        byte[] body = writer.ToArray();
        byte[] file = new byte[body.Length + 4];
        body.CopyTo(file, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(body.Length), Crc32.Compute(body));
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        AtomicFile.Write(path, file);
    }

    /// <summary>Restores <paramref name="parameters"/> and <paramref name="optimizer"/> from <paramref name="path"/> and returns the progress.</summary>
    /// <exception cref="InvalidDataException">The file is corrupt or not a checkpoint.</exception>
    /// <exception cref="InvalidOperationException">It was written by a run with another configuration.</exception>
    public static TrainingState Load(string path, string fingerprint, IReadOnlyList<Parameter> parameters, Optimizer optimizer)
    {
        byte[] data = File.ReadAllBytes(path);
        string what = $"training checkpoint {path}";
        if (data.Length < Magic.Length + 8 || !data.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new InvalidDataException($"The {what} is not a Microsoft.ML.Recurrent training checkpoint.");
        if (BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(data.Length - 4)) != Crc32.Compute(data.AsSpan(0, data.Length - 4)))
            throw new InvalidDataException($"The {what} is corrupt or truncated: its checksum does not match.");
        var reader = new ModelReader(data, Magic.Length, data.Length - 4, what);
        int version = reader.ReadInt32();
        if (version != Version) throw new InvalidDataException($"The {what} has format version {version}; this library reads version {Version}. Delete it to start training afresh.");
        string written = reader.ReadString();
        if (written != fingerprint)
            throw new InvalidOperationException($"The {what} was written by a different training run ({written}); this run is ({fingerprint}). Delete the checkpoint or choose another CheckpointPath.");
        var progress = new TrainingState { Epoch = reader.ReadInt32(0, int.MaxValue, "the epoch"), SinceBest = reader.ReadInt32(0, int.MaxValue, "the epochs since the best") };
        progress.BestMetric = reader.ReadDouble();
        progress.InitialLoss = reader.ReadDouble();
        progress.PlateauScale = reader.ReadFiniteSingle("the plateau scale");
        progress.PlateauBest = reader.ReadDouble();
        progress.PlateauWait = reader.ReadInt32(0, int.MaxValue, "the plateau wait");
        int history = reader.ReadInt32(0, progress.Epoch, "the history length");
        for (int i = 0; i < history; i++)
        {
            int epoch = reader.ReadInt32();
            string metric = reader.ReadString(64);
            double[] v = [reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble()];
            progress.History.Add(new RecurrentEpochMetrics(epoch, v[0], v[1], metric, v[2], v[3]));
        }
        NetworkCodec.ReadParameters(reader, parameters);
        if (reader.ReadBoolean())
        {
            progress.Best = [.. parameters.Select(p => new float[p.Size])];
            for (int i = 0; i < progress.Best.Length; i++) reader.ReadSingles(progress.Best[i], $"best '{parameters[i].Name}'");
        }
        if (reader.ReadBoolean())
        {
            progress.Averaged = [.. parameters.Select(p => new float[p.Size])];
            for (int i = 0; i < progress.Averaged.Length; i++) reader.ReadSingles(progress.Averaged[i], $"averaged '{parameters[i].Name}'");
        }
        int steps = reader.ReadInt32(0, int.MaxValue, "the optimizer step count");
        float[][]?[] state = new float[parameters.Count][][];
        for (int i = 0; i < state.Length; i++)
        {
            if (!reader.ReadBoolean()) continue;
            state[i] = [.. Enumerable.Range(0, optimizer.StateBufferCount).Select(_ => new float[parameters[i].Size])];
            foreach (float[] buffer in state[i]!) reader.ReadSingles(buffer, $"optimizer state of '{parameters[i].Name}'");
        }
        reader.ExpectEnd();
        optimizer.ImportState(steps, state);
        return progress;
    }
}
