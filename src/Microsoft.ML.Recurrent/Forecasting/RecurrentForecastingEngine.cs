using Microsoft.ML.Recurrent.Forecasting;

namespace Microsoft.ML.Recurrent;

/// <summary>
/// Forecasts from the latest observations of a series and takes in new ones as they arrive, without retraining
/// (as ML.NET's time-series prediction engine does): <see cref="Observe"/> appends an observation,
/// <see cref="Forecast"/> forecasts the next H values from the last W, and <see cref="CheckPoint"/> returns the
/// model starting from the engine's state, to save. Create it with
/// <see cref="RecurrentForecastingTransformer.CreateForecastingEngine"/>. Not thread-safe.
/// </summary>
public sealed class RecurrentForecastingEngine
{
    private readonly RecurrentForecastingTransformer _model;
    private readonly List<float>[] _history;

    internal RecurrentForecastingEngine(RecurrentForecastingTransformer model, float[][] tail)
    {
        _model = model;
        _history = [.. tail.Select(c => new List<float>(c))];
    }

    /// <summary>Observations taken in so far (the start's W included).</summary>
    public int Count => _history[0].Count;

    /// <summary>Appends one observation of the series with its covariates (in the model's column order).</summary>
    /// <param name="value">The series' new value.</param>
    /// <param name="pastCovariates">The past-only covariates at this time (as many as the model has).</param>
    /// <param name="knownCovariates">The known covariates at this time (as many as the model has).</param>
    /// <exception cref="ArgumentException">A value is not finite, or a covariate is missing.</exception>
    public void Observe(float value, IReadOnlyList<float>? pastCovariates = null, IReadOnlyList<float>? knownCovariates = null)
    {
        Check(pastCovariates, _model.PastCovariateColumnNames, nameof(pastCovariates), "at this observation");
        Check(knownCovariates, _model.KnownCovariateColumnNames, nameof(knownCovariates), "at this observation");
        if (!float.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(value), value, $"The observation of '{_model.InputColumnName}' must be finite.");
        _history[0].Add(value);
        int c = 1;
        foreach (float v in pastCovariates ?? []) _history[c++].Add(v);
        foreach (float v in knownCovariates ?? []) _history[c++].Add(v);
        // Only the last W observations are read: drop older ones now and then.
        if (_history[0].Count > 2 * _model.WindowSize + 1024) foreach (List<float> channel in _history) channel.RemoveRange(0, channel.Count - _model.WindowSize);
    }

    /// <summary>Forecasts the next H values from the last W observations.</summary>
    /// <param name="futureKnownCovariates">[H][K] the known covariates of the H future times (needed when the model has known covariates).</param>
    public RecurrentForecast Forecast(IReadOnlyList<IReadOnlyList<float>>? futureKnownCovariates = null)
    {
        int w = _model.WindowSize, h = _model.Horizon, k = _model.KnownCovariateColumnNames.Count, channels = _history.Length;
        if (k > 0 && (futureKnownCovariates is null || futureKnownCovariates.Count != h))
            throw new ArgumentException($"The model reads the known covariates ({string.Join(", ", _model.KnownCovariateColumnNames)}) over its horizon: pass {h} rows of them ({futureKnownCovariates?.Count ?? 0} given).", nameof(futureKnownCovariates));
        var raw = new float[channels][];
        for (int c = 0; c < channels; c++)
        {
            raw[c] = new float[w + h];
            _history[c].CopyTo(_history[c].Count - w, raw[c], 0, w);
        }
        for (int step = 0; step < h && k > 0; step++)
        {
            Check(futureKnownCovariates![step], _model.KnownCovariateColumnNames, nameof(futureKnownCovariates), $"in future row {step}");
            for (int j = 0; j < k; j++) raw[channels - k + j][w + step] = futureKnownCovariates[step][j];
        }
        Forecaster forecaster = _model.Forecaster;
        (float[] point, float[] lower, float[] upper) = forecaster.Forecast(forecaster.Scaling.Scale(raw, 0, w + h, _model.Columns.Channels), [w])[0];
        return new RecurrentForecast(point, lower, upper);
    }

    /// <summary>The model starting from this engine's last W observations: save it, and an engine made from the loaded copy continues from here.</summary>
    public RecurrentForecastingTransformer CheckPoint() =>
        _model.WithTail([.. _history.Select(c => c.GetRange(c.Count - _model.WindowSize, _model.WindowSize).ToArray())]);

    private static void Check(IReadOnlyList<float>? values, IReadOnlyList<string> names, string parameter, string where)
    {
        if ((values?.Count ?? 0) != names.Count)
            throw new ArgumentException($"The model has {names.Count} such covariates ({string.Join(", ", names)}); {values?.Count ?? 0} were given {where}.", parameter);
        for (int i = 0; i < names.Count; i++)
            if (!float.IsFinite(values![i])) throw new ArgumentException($"The covariate '{names[i]}' is {values[i]} {where}; covariates must be finite.", parameter);
    }
}
