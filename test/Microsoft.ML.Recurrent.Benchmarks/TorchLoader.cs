using System.Buffers.Binary;

namespace Microsoft.ML.Recurrent.Benchmarks;

/// <summary>
/// Makes TorchSharp's native bridge load on Debian 12. <c>libLibTorchSharp.so</c> requires the symbol
/// version GLIBCXX_3.4.32 (GCC 13) only for <c>std::ios_base_library_init</c>, which nothing calls; the
/// system libstdc++ stops at 3.4.30. Marking that requirement weak (VER_FLG_WEAK in its Vernaux entry of
/// <c>.gnu.version_r</c>) lets the loader accept the library. Only the copy in this program's output
/// folder is changed, never the NuGet cache.
/// </summary>
internal static class TorchLoader
{
    private const uint VersionNeedSection = 0x6ffffffe; // SHT_GNU_verneed
    private const ushort WeakFlag = 0x2;                 // VER_FLG_WEAK

    /// <summary>Patches the bridge next to the program if needed; returns a line saying what it did.</summary>
    public static string Prepare()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        if (!File.Exists(path)) return $"TorchSharp bridge not found at {path}";
        byte[] elf = File.ReadAllBytes(path);
        int patched = MarkWeak(elf, "GLIBCXX_3.4.32");
        if (patched == 0) return "TorchSharp bridge needs no patch";
        File.WriteAllBytes(path, elf);
        return $"TorchSharp bridge: marked GLIBCXX_3.4.32 weak ({patched} entry) in {path}";
    }

    /// <summary>Sets VER_FLG_WEAK on every not-yet-weak Vernaux entry named <paramref name="version"/>; returns how many.</summary>
    private static int MarkWeak(byte[] elf, string version)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F' || elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("Not a little-endian 64-bit ELF file.");
        Span<byte> span = elf;
        long sectionTable = BinaryPrimitives.ReadInt64LittleEndian(span[0x28..]);
        int entrySize = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3A..]), count = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3C..]);
        int patched = 0;
        for (int s = 0; s < count; s++)
        {
            Span<byte> header = span.Slice((int)(sectionTable + s * entrySize), entrySize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) != VersionNeedSection) continue;
            long offset = BinaryPrimitives.ReadInt64LittleEndian(header[0x18..]);
            int link = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[0x28..]);
            long strings = BinaryPrimitives.ReadInt64LittleEndian(span.Slice((int)(sectionTable + link * entrySize), entrySize)[0x18..]);
            long need = offset;
            while (true)
            {
                int auxCount = BinaryPrimitives.ReadUInt16LittleEndian(span[(int)(need + 2)..]);
                long aux = need + BinaryPrimitives.ReadUInt32LittleEndian(span[(int)(need + 8)..]);
                for (int a = 0; a < auxCount; a++)
                {
                    long name = strings + BinaryPrimitives.ReadUInt32LittleEndian(span[(int)(aux + 8)..]);
                    int end = span[(int)name..].IndexOf((byte)0);
                    ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(span[(int)(aux + 4)..]);
                    if (System.Text.Encoding.ASCII.GetString(span.Slice((int)name, end)) == version && (flags & WeakFlag) == 0)
                    {
                        BinaryPrimitives.WriteUInt16LittleEndian(span[(int)(aux + 4)..], (ushort)(flags | WeakFlag));
                        patched++;
                    }
                    uint nextAux = BinaryPrimitives.ReadUInt32LittleEndian(span[(int)(aux + 12)..]);
                    if (nextAux == 0) break;
                    aux += nextAux;
                }
                uint next = BinaryPrimitives.ReadUInt32LittleEndian(span[(int)(need + 12)..]);
                if (next == 0) break;
                need += next;
            }
        }
        return patched;
    }
}
