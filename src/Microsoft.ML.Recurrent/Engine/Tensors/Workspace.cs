namespace Microsoft.ML.Recurrent.Engine.Tensors;

/// <summary>The layers' and models' reusable buffers: grown when a batch needs more, never shrunk, so steady-state calls allocate nothing.</summary>
internal static class Workspace
{
    /// <summary>Replaces <paramref name="buffer"/> by a larger array when it holds fewer than <paramref name="size"/> elements; returns it.</summary>
    public static T[] Grow<T>(ref T[] buffer, int size)
    {
        if (buffer.Length < size) buffer = new T[size];
        return buffer;
    }
}
