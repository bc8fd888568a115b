namespace Microsoft.ML.Recurrent.Engine.Tensors.Kernels;

/// <summary>A strided view of a matrix: element (i, j) is <c>Data[i * RowStride + j * ColumnStride]</c> (a transpose swaps the strides).</summary>
internal readonly unsafe struct MatrixOperand(float* data, int rowStride, int columnStride)
{
    public float* Data { get; } = data;

    public int RowStride { get; } = rowStride;

    public int ColumnStride { get; } = columnStride;

    public float this[int i, int j] => Data[(long)i * RowStride + (long)j * ColumnStride];
}
