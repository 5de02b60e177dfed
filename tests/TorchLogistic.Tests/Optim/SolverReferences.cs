using System.Text.Json.Nodes;
using TorchLogistic.Data;
using TorchLogistic.Objectives;
using TorchLogistic.Optim;
using TorchLogistic.Training;

namespace TorchLogistic.Tests.Optim;

/// <summary>The scikit-learn 1.2.1 optima of Fixtures/solver_references.json (made by Fixtures/scripts/solver_references.py).</summary>
public static class SolverReferences
{
    public sealed record Case(string Name, PenaltyKind Penalty, double C, double L1Ratio, bool Weighted, double[] Theta, double Objective, double NewtonStepRel);

    private static readonly Lazy<Dictionary<string, Case>> Cases = new(Load);

    public static Case Get(string name) => Cases.Value[name];

    public static readonly Dataset BreastCancer = BuiltinDatasets.Load("breast-cancer");

    /// <summary>Breast cancer with the fixture's weights: sᵢ = (1 + 0.5·(i mod 3)) as sample weights (class weights come from the options).</summary>
    public static Dataset WeightedBreastCancer()
    {
        var d = BreastCancer;
        var w = Enumerable.Range(0, d.SampleCount).Select(i => 1 + 0.5 * (i % 3)).ToArray();
        return new Dataset(d.Name, d.Features, d.SampleCount, d.FeatureCount, d.Labels, d.Classes, d.FeatureNames, w);
    }

    /// <summary>Options for a fixture case: all rows, standardised, the case's penalty.</summary>
    public static TrainingOptions Options(Case c, SolverKind solver, double tolerance, int maxIterations, double learningRate = 0.1) => new()
    {
        Solver = solver, Penalty = c.Penalty, C = c.C, L1Ratio = c.L1Ratio, Standardize = true, Tolerance = tolerance, MaxIterations = maxIterations, LearningRate = learningRate,
        ClassWeight = c.Weighted ? ClassWeightMode.Balanced : ClassWeightMode.None,
    };

    private static Dictionary<string, Case> Load()
    {
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "solver_references.json")))!;
        return root["cases"]!.AsArray().Select(n =>
        {
            var coefficients = n!["coef"]!.AsArray().Select(v => (double)v!).ToList();
            coefficients.Add((double)n["intercept"]!);
            return new Case((string)n["name"]!, Penalty.ParseKind((string)n["penalty"]!), (double)n["C"]!, (double)n["l1_ratio"]!,
                (bool)n["weighted"]!, coefficients.ToArray(), (double)n["objective"]!, (double)n["newton_step_rel"]!);
        }).ToDictionary(c => c.Name);
    }
}
