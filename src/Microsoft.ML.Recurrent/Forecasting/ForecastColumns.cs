using Microsoft.ML.Data;

namespace Microsoft.ML.Recurrent.Forecasting;

/// <summary>The columns a forecaster reads (the series, then its past and known covariates) and the ones it adds.</summary>
/// <param name="Value">The series column.</param>
/// <param name="Past">Past-only covariates.</param>
/// <param name="Known">Known-ahead covariates.</param>
/// <param name="Output">The forecast column.</param>
/// <param name="Lower">The lower bound column, or null.</param>
/// <param name="Upper">The upper bound column, or null.</param>
internal sealed record ForecastColumns(string Value, string[] Past, string[] Known, string Output, string? Lower, string? Upper)
{
    /// <summary>Every column read, in channel order.</summary>
    public string[] Channels => [Value, .. Past, .. Known];

    /// <summary>The added columns: the forecast, then the bounds that are named, each a vector of <paramref name="horizon"/>.</summary>
    public DataViewSchema OutputSchema(int horizon)
    {
        var builder = new DataViewSchema.Builder();
        var type = new VectorDataViewType(NumberDataViewType.Single, horizon);
        builder.AddColumn(Output, type);
        if (Lower is not null) builder.AddColumn(Lower, type);
        if (Upper is not null) builder.AddColumn(Upper, type);
        return builder.ToSchema();
    }
}
