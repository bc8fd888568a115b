using System.IO.Compression;

namespace Microsoft.ML.Recurrent.Persistence;

/// <summary>Refuses zip data (ML.NET model segments) whose entries would expand out of proportion: a zip bomb.</summary>
internal static class ZipGuard
{
    private const long AbsoluteLimit = 4L << 30, Slack = 64L << 20;
    private const int MaxEntries = 100_000, MaxRatio = 200;

    /// <summary>Throws <see cref="InvalidDataException"/> unless <paramref name="zip"/> is a readable zip of plausible expanded size.</summary>
    public static void Check(byte[] zip, int offset, int count, string what)
    {
        long expanded = 0;
        try
        {
            using var archive = new ZipArchive(new MemoryStream(zip, offset, count, writable: false), ZipArchiveMode.Read);
            if (archive.Entries.Count > MaxEntries) throw new InvalidDataException($"The {what} has {archive.Entries.Count} zip entries; at most {MaxEntries} are accepted.");
            foreach (ZipArchiveEntry entry in archive.Entries) expanded += entry.Length;
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith("The ", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"The {what} is not a readable zip archive: {e.Message}", e);
        }
        if (expanded > AbsoluteLimit || expanded > (long)MaxRatio * count + Slack)
            throw new InvalidDataException($"The {what} would expand from {count:N0} to {expanded:N0} bytes; refusing it as a likely zip bomb.");
    }
}
