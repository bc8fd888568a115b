namespace Microsoft.ML.Recurrent.Samples;

/// <summary>Prints a trainer's notes from the MLContext log (resumption, early stopping, kept weights); epochs are the progress display's.</summary>
internal static class TrainerLog
{
    /// <summary>Prints the Info messages of <paramref name="trainer"/> (its type name), except the per-epoch lines.</summary>
    public static void Attach(MLContext ml, string trainer) => ml.Log += (_, e) =>
    {
        if (!e.Source.StartsWith(trainer, StringComparison.Ordinal) || e.Kind != Microsoft.ML.Runtime.ChannelMessageKind.Info) return;
        string message = e.Message[(e.Message.IndexOf("] ", StringComparison.Ordinal) + 2)..];
        if (!message.StartsWith("Epoch ", StringComparison.Ordinal)) Console.WriteLine($"  {message}");
    };
}
