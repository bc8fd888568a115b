namespace Microsoft.ML.Recurrent.Persistence;

/// <summary>
/// Replaces a file all at once: write a temporary file beside it, flush it to disk, rename it over the
/// target. Like a plain write, it refuses a missing folder and a read-only target (even for a user, such
/// as root, whom the file system would let replace it), and its errors name the target, not the temporary file.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/>; on any failure the previous file is untouched and no temporary file is left.</summary>
    public static void Write(string path, ReadOnlySpan<byte> bytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' has no folder.", nameof(path));
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"Cannot write '{path}': the folder '{folder}' does not exist.");
        if (Directory.Exists(full)) throw new UnauthorizedAccessException($"Cannot write '{path}': it is a folder.");
        if (File.Exists(full) && IsReadOnly(full)) throw new UnauthorizedAccessException($"Cannot write '{path}': the file is read-only.");
        string temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UnauthorizedAccessException($"Cannot write '{path}': {e.Message}", e);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new IOException($"Cannot write '{path}': {e.Message}", e);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    private static bool IsReadOnly(string path) => OperatingSystem.IsWindows()
        ? File.GetAttributes(path).HasFlag(FileAttributes.ReadOnly)
        : (File.GetUnixFileMode(path) & UnixFileMode.UserWrite) == 0;
}
