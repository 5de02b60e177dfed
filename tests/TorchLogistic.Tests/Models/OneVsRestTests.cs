using TorchLogistic.Data;
using TorchLogistic.IO;
using TorchLogistic.Metrics;
using TorchLogistic.Models;
using TorchLogistic.Optim;
using TorchLogistic.Tests.Support;
using TorchLogistic.Training;
using static TorchSharp.torch;

namespace TorchLogistic.Tests.Models;

public class OneVsRestTests
{
    private static Dataset Binary(Dataset data, int k) =>
        new(data.Name, data.Features, data.SampleCount, data.FeatureCount, data.Labels.Select(y => y == k ? 1 : 0).ToArray(), new[] { "rest", data.Classes[k] }, data.FeatureNames);

    [Theory]
    [InlineData("iris")]
    [InlineData("digits")]
    public void Members_match_scikit_learns_one_vs_rest_coefficients(string name)
    {
        var data = BuiltinDatasets.Load(name);
        using var model = Trainer.Fit(data, SoftmaxRegressionTests.Tight(ModelKind.OneVsRest));
        Assert.True(model.Result!.Converged, model.Result.StopDescription);
        double error = Close.RelativeError(model.Result.Theta, MulticlassFixture.Theta($"{name}.ovr"));
        Assert.True(error < 1e-7, $"relative error {error:E2} of θ against scikit-learn's multi_class=\"ovr\"");
        var members = MulticlassFixture.Get($"{name}.ovr.members").AsArray();
        for (int k = 0; k < data.ClassCount; k++)
            Close.Equal((double)members[k]!["objective"]!, model.MemberResults![k].Objective, 1e-12, what: $"member {k} objective");
        Close.Equal(members.Sum(m => (double)m!["objective"]!), model.Result.Objective, 1e-12, what: "sum of member objectives");
        var evaluation = Evaluation.Of(model, data);
        Close.Equal((double)MulticlassFixture.Get($"{name}.ovr.log_loss"), evaluation.LogLoss, 1e-9, what: "log loss of normalised probabilities");
        Assert.Equal((double)MulticlassFixture.Get($"{name}.ovr.accuracy"), evaluation.Accuracy);
    }

    [Theory]
    [InlineData(ClassWeightMode.None)]
    [InlineData(ClassWeightMode.Balanced)]
    public void Each_member_is_the_binary_model_of_class_k_against_the_rest(ClassWeightMode classWeight)
    {
        // Balanced weights for a member balance its own binary problem: the binary model's "balanced".
        var data = BuiltinDatasets.Load("iris");
        var options = new TrainingOptions { Standardize = true, Tolerance = 1e-9, ClassWeight = classWeight };
        using var ovr = Trainer.Fit(data, options with { Model = ModelKind.OneVsRest });
        var module = (OneVsRest)ovr.Module;
        for (int k = 0; k < data.ClassCount; k++)
        {
            using var binary = Trainer.Fit(Binary(data, k), options with { Model = ModelKind.Logistic });
            Assert.Equal(binary.Result!.Theta, ovr.MemberResults![k].Theta);
            using var member = module.Member(k);
            Assert.Equal(binary.Result.Theta, member.ParametersToVector());
            // The member's probability of class k is the binary model's probability of "class k".
            double[] p = ovr.MemberProbabilities(data);
            double[] q = binary.PredictProbabilities(data).Values;
            for (int i = 0; i < data.SampleCount; i++) Close.Equal(q[2 * i + 1], p[i * 3 + k], 1e-15);
        }
    }

    [Fact]
    public void Balancing_changes_the_members_and_explicit_weights_weigh_rows_by_their_class()
    {
        var data = BuiltinDatasets.Load("iris");
        var options = new TrainingOptions { Model = ModelKind.OneVsRest, Standardize = true, Tolerance = 1e-9 };
        using var plain = Trainer.Fit(data, options);
        using var balanced = Trainer.Fit(data, options with { ClassWeight = ClassWeightMode.Balanced });
        Assert.True(Close.RelativeError(balanced.Result!.Theta, plain.Result!.Theta) > 1e-3);
        // Explicit weights w_{yᵢ} with w = (1, 1, 1) change nothing.
        using var ones = Trainer.Fit(data, options with { ClassWeight = ClassWeightMode.Explicit, ClassWeightValues = new[] { 1.0, 1.0, 1.0 } });
        Assert.Equal(plain.Result.Theta, ones.Result!.Theta);
    }

    [Fact]
    public void Probabilities_are_member_probabilities_normalised_and_prediction_is_the_most_confident_member()
    {
        var data = BuiltinDatasets.Load("digits");
        using var model = Trainer.Fit(data, new TrainingOptions { Model = ModelKind.OneVsRest, Standardize = true, MaxIterations = 50 });
        double[] member = model.MemberProbabilities(data);
        double[] proba = model.PredictProbabilities(data).Values;
        int[] predicted = model.Predict(data);
        int k = 10;
        for (int i = 0; i < data.SampleCount; i++)
        {
            var row = member.AsSpan(i * k, k).ToArray();
            double sum = row.Sum();
            for (int c = 0; c < k; c++) Close.Equal(row[c] / sum, proba[i * k + c], 1e-14);
            Assert.Equal(Array.IndexOf(row, row.Max()), predicted[i]);
        }
        // Members are fitted apart: their probabilities do not sum to 1.
        Assert.Contains(Enumerable.Range(0, data.SampleCount), i => Math.Abs(member.AsSpan(i * k, k).ToArray().Sum() - 1) > 0.1);
    }

    [Fact]
    public void Ties_are_rows_whose_two_most_confident_members_are_within_the_tolerance()
    {
        double[] p =
        {
            0.9, 0.1, 0.9,                   // tie: two members equally sure
            0.2, 0.7, 0.1,                   // clear
            0.3, 0.3 + 5e-13, 0.1,           // tie within 1e-12
            0.3, 0.3 + 5e-12, 0.1,           // not a tie
            1.0, 1.0, 1.0,                   // saturated members: a tie
        };
        Assert.Equal(3, OneVsRest.CountTies(p, 3));
        Assert.Equal(4, OneVsRest.CountTies(p, 3, tolerance: 1e-11));
        Assert.Throws<ArgumentException>(() => OneVsRest.CountTies(p, 4));

        // A model whose members are all identical ties on every row, and predicts the first class.
        using var model = new OneVsRest(2, 3);
        using var x = tensor(new double[] { 1, 2, 3, 4 }, new long[] { 2, 2 });
        var member = model.MemberProbabilities(x).contiguous().data<double>().ToArray();
        Assert.Equal(2, OneVsRest.CountTies(member, 3));
        Assert.Equal(new long[] { 0, 0 }, model.Predict(x).data<long>().ToArray());
        Close.All(Enumerable.Repeat(1.0 / 3, 6).ToArray(), model.PredictProbabilities(x).contiguous().data<double>().ToArray(), 1e-15);
    }

    [Fact]
    public void Combined_history_counts_each_member_at_its_last_record()
    {
        static TrainingResult Run(params (int It, double F, double Crit)[] records) => new(SolverKind.Lbfgs, new double[] { 0 }, records[^1].F, records[^1].Crit,
            records[^1].It, records[^1].Crit < 1e-6, records[^1].Crit < 1e-6 ? StopReason.Converged : StopReason.MaxIterations, "r", records.Length, 1.0, records.Select(r => new IterationRecord(r.It, r.F, r.Crit, 1, 0.5, r.F / 2)).ToList());
        var a = Run((0, 1.0, 0.5), (1, 0.5, 0.1), (2, 0.25, 1e-7));
        var b = Run((0, 2.0, 0.6), (2, 1.0, 1e-3), (4, 0.5, 1e-2));
        var combined = OneVsRestTrainer.Combine(new[] { a, b }, new double[] { 1, 2 });
        Assert.Equal(new[] { 0, 1, 2, 4 }, combined.History.Select(h => h.Iteration));
        Assert.Equal(new[] { 3.0, 2.5, 1.25, 0.75 }, combined.History.Select(h => h.Objective));
        Assert.Equal(new[] { 0.6, 0.6, 1e-3, 1e-2 }, combined.History.Select(h => h.Criterion));
        Assert.Equal(new double?[] { 1.5, 1.25, 0.625, 0.375 }, combined.History.Select(h => h.TestLoss));
        Assert.Equal((0.75, 4, false), (combined.Objective, combined.Iterations, combined.Converged));
        Assert.Contains("1 of 2 members did not converge: member 1", combined.StopDescription);
    }

    [Fact]
    public void Digits_one_vs_rest_reaches_95_percent_on_a_seeded_80_20_split()
    {
        var (train, test) = TrainTestSplit.Split(BuiltinDatasets.Load("digits"), 0.2, seed: 0);
        using var model = Trainer.Fit(train, new TrainingOptions { Model = ModelKind.OneVsRest, Standardize = true, Tolerance = 1e-8 }, test);
        Assert.True(model.Result!.Converged, model.Result.StopDescription);
        Assert.Equal(10, model.MemberResults!.Count);
        Assert.True(Evaluation.Of(model, test!).Accuracy >= 0.95);
    }

    [Fact]
    public void Save_load_keeps_a_one_vs_rest_model_bit_for_bit()
    {
        var data = BuiltinDatasets.Load("iris");
        using var model = Trainer.Fit(data, new TrainingOptions { Model = ModelKind.OneVsRest, Standardize = true, LabelSmoothing = 0.05 });
        byte[] bytes = ModelFile.ToBytes(model);
        using var loaded = ModelFile.FromBytes(bytes, "m.bin");
        Assert.IsType<OneVsRest>(loaded.Module);
        Assert.Equal(model.Options, loaded.Options);
        Assert.Equal(model.PredictProbabilities(data).Values, loaded.PredictProbabilities(data).Values);
        Assert.Equal(model.MemberProbabilities(data), loaded.MemberProbabilities(data));
        Assert.Equal(bytes, ModelFile.ToBytes(loaded));
    }

    [Fact]
    public void Member_probabilities_of_a_model_that_is_not_one_vs_rest_are_refused()
    {
        var data = BuiltinDatasets.Load("iris");
        using var model = Trainer.Fit(data, new TrainingOptions { Model = ModelKind.Softmax, MaxIterations = 3 });
        Assert.Contains("one-vs-rest", Assert.Throws<InvalidOperationException>(() => model.MemberProbabilities(data)).Message);
    }
}
