using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Data;
using static Microsoft.ML.Recurrent.Tests.Sequences.SyntheticSequences;

namespace Microsoft.ML.Recurrent.Tests.Sequences;

/// <summary>
/// ML.NET's estimator contract (its TestEstimatorCore pattern): the estimator's output schema equals its
/// fitted transformer's and the transformed data's, and invalid input fails alike in GetOutputSchema,
/// Fit and the transformer's GetOutputSchema/Transform.
/// </summary>
[TestClass]
public sealed class EstimatorContractTests
{
    private static readonly RecurrentTrainerOptions Small = new() { HiddenSize = 3, EmbeddingSize = 3, NumberOfEpochs = 1 };

    private static IEnumerable<(string Name, IEstimator<ITransformer> Estimator, IDataView Data)> Cases(MLContext ml)
    {
        IDataView signs = ml.Data.LoadFromEnumerable(SignOfSum(40, 1));
        yield return ("binary", ml.BinaryClassification.Trainers.Recurrent(Small), signs);
        IDataView words = ml.Transforms.Text.TokenizeIntoWords("Tokens", "Text")
            .Append(ml.Transforms.Conversion.MapValueToKey("Features", "Tokens"))
            .Append(ml.Transforms.Conversion.MapValueToKey("Label"))
            .Fit(ml.Data.LoadFromEnumerable(FirstWord(40, 1))).Transform(ml.Data.LoadFromEnumerable(FirstWord(40, 1)));
        yield return ("multiclass", ml.MulticlassClassification.Trainers.Recurrent(Small), words);
        yield return ("regression", ml.Regression.Trainers.Recurrent(Small), ml.Data.LoadFromEnumerable(Windows(40, 1)));
        SpeechRecognitionOptions speech = Speech.SpeechRecognitionTests.Options();
        speech.NumberOfEpochs = 1;
        yield return ("speech recognizer", ml.Transforms.SpeechRecognition(speech), ml.Data.LoadFromEnumerable(Speech.SpeechRecognitionTests.Utterances(20, 1)));
    }

    [TestMethod]
    public void EstimatorTransformerAndDataAgreeOnTheOutputSchema()
    {
        var ml = new MLContext(1);
        foreach ((string name, IEstimator<ITransformer> estimator, IDataView data) in Cases(ml))
        {
            SchemaShape promised = estimator.GetOutputSchema(MLNetInternals.ToShape(data.Schema));
            ITransformer model = estimator.Fit(data);
            SchemaShape fitted = MLNetInternals.ToShape(model.GetOutputSchema(data.Schema));
            SchemaShape produced = MLNetInternals.ToShape(model.Transform(data).Schema);
            AssertSame(promised, fitted, $"{name}: estimator vs transformer");
            AssertSame(fitted, produced, $"{name}: transformer vs transformed data");
        }
    }

    private static void AssertSame(SchemaShape expected, SchemaShape actual, string what)
    {
        string Describe(SchemaShape.Column c) =>
            $"{c.Name}: {c.Kind} of {c.ItemType}{(c.IsKey ? " key" : "")} [{string.Join(",", c.Annotations.Select(a => a.Name).Order())}]";
        CollectionAssert.AreEqual(expected.Select(Describe).ToArray(), actual.Select(Describe).ToArray(), what);
    }

    [TestMethod]
    public void AMissingFeatureColumnFailsInGetOutputSchemaFitAndTransform()
    {
        var ml = new MLContext(1);
        foreach ((string name, IEstimator<ITransformer> estimator, IDataView data) in Cases(ml))
        {
            ITransformer model = estimator.Fit(data);
            IDataView without = ml.Transforms.DropColumns("Features").Fit(data).Transform(data);
            SchemaShape shape = MLNetInternals.ToShape(without.Schema);
            foreach ((string step, Action action) in new (string, Action)[]
            {
                ("estimator.GetOutputSchema", () => estimator.GetOutputSchema(shape)),
                ("Fit", () => estimator.Fit(without)),
                ("transformer.GetOutputSchema", () => model.GetOutputSchema(without.Schema)),
                ("Transform", () => model.Transform(without)),
            })
            {
                var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(action, $"{name}: {step}");
                StringAssert.Contains(error.Message, "'Features'", $"{name}: {step} names the column");
            }
        }
    }

    [TestMethod]
    public void AFeatureColumnOfTheWrongTypeFailsInGetOutputSchemaFitAndTransform()
    {
        var ml = new MLContext(1);
        foreach ((string name, IEstimator<ITransformer> estimator, IDataView data) in Cases(ml))
        {
            ITransformer model = estimator.Fit(data);
            // A Boolean scalar where the sequence belongs.
            IDataView wrong = ml.Transforms.CustomMapping<NoInput, BoolFeatures>((_, o) => o.Features = true, null)
                .Fit(ml.Transforms.DropColumns("Features").Fit(data).Transform(data)).Transform(ml.Transforms.DropColumns("Features").Fit(data).Transform(data));
            foreach ((string step, Action action) in new (string, Action)[]
            {
                ("estimator.GetOutputSchema", () => estimator.GetOutputSchema(MLNetInternals.ToShape(wrong.Schema))),
                ("Fit", () => estimator.Fit(wrong)),
                ("transformer.GetOutputSchema", () => model.GetOutputSchema(wrong.Schema)),
                ("Transform", () => model.Transform(wrong)),
            })
            {
                var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(action, $"{name}: {step}");
                StringAssert.Contains(error.Message, "feature column 'Features'", $"{name}: {step}");
            }
        }
    }

    private sealed class NoInput;

    private sealed class BoolFeatures
    {
        public bool Features { get; set; }
    }
}
