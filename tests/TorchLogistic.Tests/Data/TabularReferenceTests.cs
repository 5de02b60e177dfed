using System.Text.Json.Nodes;
using TorchLogistic.Data;
using TorchLogistic.Inference;
using TorchLogistic.IO;
using TorchLogistic.Objectives;
using TorchLogistic.Optim;
using TorchLogistic.Tests.Support;
using TorchLogistic.Training;

namespace TorchLogistic.Tests.Data;

/// <summary>
/// The tabular encoder and the fit on it against scikit-learn 1.2.1 pipelines (ColumnTransformer of OneHotEncoder and
/// SimpleImputer, then LogisticRegression at its exact optimum) and statsmodels 0.13.5's formula Logit with treatment
/// coding. Fixtures/tabular_sklearn.json and the synthetic tables in Fixtures/data are made by
/// Fixtures/scripts/tabular_sklearn.py; titanic_survival.csv by Fixtures/scripts/titanic_survival_extract.R.
/// </summary>
public class TabularReferenceTests
{
    private static readonly JsonObject Fixture =
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "tabular_sklearn.json")))!.AsObject();

    private static string DataFile(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "data", name);

    private static JsonObject Case(string name) => Fixture["cases"]!.AsArray().Select(c => c!.AsObject()).Single(c => (string)c["name"]! == name);

    private static double[] Doubles(JsonNode node) => node.AsArray().Select(v => (double)v!).ToArray();

    public static TheoryData<string> Cases => new()
    {
        "drop", "mean", "median-first", "most-frequent-indicator", "mean-first-indicator-ignore", "titanic-median", "titanic-drop-first",
    };

    private static TabularOptions OptionsOf(JsonObject c) => new()
    {
        Categorical = c["categorical"]!.AsArray().Select(n => (string)n!).ToArray(),
        Missing = (string)c["missing"]! switch
        {
            "drop" => MissingStrategy.Drop,
            "mean" => MissingStrategy.Mean,
            "median" => MissingStrategy.Median,
            _ => MissingStrategy.MostFrequent,
        },
        CategoricalDrop = (string)c["categorical_drop"]! == "first" ? CategoricalDrop.First : CategoricalDrop.None,
        HandleUnknown = (string)c["handle_unknown"]! == "ignore" ? UnknownLevels.Ignore : UnknownLevels.Error,
        MissingIndicator = (bool)c["indicator"]!,
    };

    private static TrainingOptions Exact(double c, PenaltyKind penalty = PenaltyKind.L2) => new()
    {
        Model = ModelKind.Logistic, Penalty = penalty, C = c, Solver = SolverKind.Newton, Tolerance = 1e-13, MaxIterations = 200,
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Coefficients_and_probabilities_equal_scikit_learns_pipeline(string name)
    {
        var c = Case(name);
        var train = TabularCsv.Load(DataFile((string)c["train"]!), OptionsOf(c), label: (string)c["label"]!);
        Assert.Equal((int)c["dropped"]!, train.Encoding!.DroppedRowCount);
        Assert.Equal((int)c["feature_count"]!, train.FeatureCount);
        Assert.Equal(c["classes"]!.AsArray().Select(n => (string)n!), train.Classes);
        using var model = Trainer.Fit(train, Exact((double)c["C"]!));
        Assert.True(model.Result!.Converged, model.Result.StopDescription);
        double[] theta = model.Module.ParametersToVector();
        Close.All(Doubles(c["coef"]!), theta[..^1], 0, 1e-6, "coef");
        Close.Equal((double)c["intercept"]!, theta[^1], 0, 1e-6, "intercept");

        // New rows, raw (missing cells, unseen levels), through the model's encoder; and again after a save and load.
        var table = TabularTable.Load(DataFile((string)c["new"]!));
        int rows = (int)c["new_rows"]!;
        double[] expected = Doubles(c["proba"]!);
        double[] proba = model.PredictProbabilities(table).Values;
        Close.All(expected, Enumerable.Range(0, rows).Select(i => proba[2 * i + 1]).ToArray(), 0, 1e-6, "proba");
        using var loaded = ModelFile.FromBytes(ModelFile.ToBytes(model), "memory");
        Assert.Equal(proba, loaded.PredictProbabilities(table).Values);
    }

    [Fact]
    public void Summary_with_treatment_coding_equals_statsmodels_formula_logit()
    {
        var s = Fixture["statsmodels_titanic"]!.AsObject();
        var options = new TabularOptions { Missing = MissingStrategy.Drop, CategoricalDrop = CategoricalDrop.First };
        var train = TabularCsv.Load(DataFile("titanic_survival.csv"), options);
        Assert.Equal((int)s["rows"]!, train.SampleCount);
        Assert.Equal(new[] { "sex[male]", "age", "passengerClass[2nd]", "passengerClass[3rd]" }, train.FeatureNames);
        using var model = Trainer.Fit(train, Exact(1, PenaltyKind.None));
        var inference = LogitInference.Of(model, train);
        Assert.Null(inference.Refusal);
        var table = inference.Result.Equations[0];
        string[] names = s["names"]!.AsArray().Select(n => (string)n!).ToArray();
        double[] parameters = Doubles(s["params"]!), errors = Doubles(s["bse"]!);
        for (int i = 0; i < names.Length; i++)
        {
            int at = Array.IndexOf(table.Names, names[i]);
            Assert.True(at >= 0, $"no row {names[i]} in {string.Join(", ", table.Names)}");
            Close.Equal(parameters[i], table.Coefficients[at], 0, 1e-6, $"coef {names[i]}");
            Close.Equal(errors[i], table.StandardErrors[at], 0, 1e-6, $"std err {names[i]}");
        }
        Close.Equal((double)s["llf"]!, inference.Result.LogLikelihood, 1e-9, 0, "log-likelihood");
    }
}
