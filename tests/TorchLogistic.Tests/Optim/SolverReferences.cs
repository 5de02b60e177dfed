using System.Text.Json.Nodes;
using TorchLogistic.Data;
using TorchLogistic.Objectives;
using TorchLogistic.Optim;
using TorchLogistic.Training;

namespace TorchLogistic.Tests.Optim;

/// <summary>The scikit-learn 1.2.1 optima of Fixtures/solver_references.json (made by Fixtures/scripts/solver_references.py).</summary>
public static class SolverReferences
{
    public sealed record Case(string name, PenaltyKind penalty, double C, double l1_ratio, bool weighted, double[] theta, double objective, double newton_step_rel);

    private static readonly Lazy<Dictionary<string, Case>> Cases = new(load);

    public static Case get(string name) => Cases.Value[name];

    public static readonly Dataset BreastCancer = BuiltinDatasets.load("breast-cancer");

    /// <summary>Breast cancer with the fixture's weights: sᵢ = (1 + 0.5·(i mod 3)) as sample weights (class weights come from the options).</summary>
    public static Dataset WeightedBreastCancer()
    {
        var d = BreastCancer;
        var w = Enumerable.Range(0, d.n_samples).Select(i => 1 + 0.5 * (i % 3)).ToArray();
        return new Dataset(d.name, d.features, d.n_samples, d.n_features, d.labels, d.classes, d.feature_names, w);
    }

    /// <summary>Options for a fixture case: all rows, standardised, the case's penalty.</summary>
    public static TrainingOptions options(Case c, SolverKind solver, double tol, int max_iter, double lr = 0.1) => new()
    {
        solver = solver, penalty = c.penalty, C = c.C, l1_ratio = c.l1_ratio, standardize = true, tol = tol, max_iter = max_iter, lr = lr,
        class_weight = c.weighted ? ClassWeightMode.Balanced : ClassWeightMode.None,
    };

    private static Dictionary<string, Case> load()
    {
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "solver_references.json")))!;
        return root["cases"]!.AsArray().Select(n =>
        {
            var coef = n!["coef"]!.AsArray().Select(v => (double)v!).ToList();
            coef.Add((double)n["intercept"]!);
            return new Case((string)n["name"]!, Penalty.parse_kind((string)n["penalty"]!), (double)n["C"]!, (double)n["l1_ratio"]!,
                (bool)n["weighted"]!, coef.ToArray(), (double)n["objective"]!, (double)n["newton_step_rel"]!);
        }).ToDictionary(c => c.name);
    }
}
