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
        new(data.name, data.features, data.n_samples, data.n_features, data.labels.Select(y => y == k ? 1 : 0).ToArray(), new[] { "rest", data.classes[k] }, data.feature_names);

    [Theory]
    [InlineData("iris")]
    [InlineData("digits")]
    public void Members_match_scikit_learns_one_vs_rest_coefficients(string name)
    {
        var data = BuiltinDatasets.load(name);
        using var model = Trainer.fit(data, SoftmaxRegressionTests.Tight(ModelKind.OneVsRest));
        Assert.True(model.result!.converged, model.result.stop_reason);
        double error = Close.relative_error(model.result.theta, MulticlassFixture.theta($"{name}.ovr"));
        Assert.True(error < 1e-7, $"relative error {error:E2} of θ against scikit-learn's multi_class=\"ovr\"");
        var members = MulticlassFixture.get($"{name}.ovr.members").AsArray();
        for (int k = 0; k < data.n_classes; k++)
            Close.Equal((double)members[k]!["objective"]!, model.member_results![k].objective, 1e-12, what: $"member {k} objective");
        Close.Equal(members.Sum(m => (double)m!["objective"]!), model.result.objective, 1e-12, what: "sum of member objectives");
        var evaluation = Evaluation.of(model, data);
        Close.Equal((double)MulticlassFixture.get($"{name}.ovr.log_loss"), evaluation.log_loss, 1e-9, what: "log loss of normalised probabilities");
        Assert.Equal((double)MulticlassFixture.get($"{name}.ovr.accuracy"), evaluation.accuracy);
    }

    [Theory]
    [InlineData(ClassWeightMode.None)]
    [InlineData(ClassWeightMode.Balanced)]
    public void Each_member_is_the_binary_model_of_class_k_against_the_rest(ClassWeightMode classWeight)
    {
        // Balanced weights for a member balance its own binary problem: the binary model's "balanced".
        var data = BuiltinDatasets.load("iris");
        var options = new TrainingOptions { standardize = true, tol = 1e-9, class_weight = classWeight };
        using var ovr = Trainer.fit(data, options with { model = ModelKind.OneVsRest });
        var module = (OneVsRest)ovr.module;
        for (int k = 0; k < data.n_classes; k++)
        {
            using var binary = Trainer.fit(Binary(data, k), options with { model = ModelKind.Logistic });
            Assert.Equal(binary.result!.theta, ovr.member_results![k].theta);
            using var member = module.member(k);
            Assert.Equal(binary.result.theta, member.parameters_to_vector());
            // The member's probability of class k is the binary model's probability of "class k".
            double[] p = ovr.member_proba(data);
            double[] q = binary.predict_proba(data).values;
            for (int i = 0; i < data.n_samples; i++) Close.Equal(q[2 * i + 1], p[i * 3 + k], 1e-15);
        }
    }

    [Fact]
    public void Balancing_changes_the_members_and_explicit_weights_weigh_rows_by_their_class()
    {
        var data = BuiltinDatasets.load("iris");
        var options = new TrainingOptions { model = ModelKind.OneVsRest, standardize = true, tol = 1e-9 };
        using var plain = Trainer.fit(data, options);
        using var balanced = Trainer.fit(data, options with { class_weight = ClassWeightMode.Balanced });
        Assert.True(Close.relative_error(balanced.result!.theta, plain.result!.theta) > 1e-3);
        // Explicit weights w_{yᵢ} with w = (1, 1, 1) change nothing.
        using var ones = Trainer.fit(data, options with { class_weight = ClassWeightMode.Explicit, class_weight_values = new[] { 1.0, 1.0, 1.0 } });
        Assert.Equal(plain.result.theta, ones.result!.theta);
    }

    [Fact]
    public void Probabilities_are_member_probabilities_normalised_and_prediction_is_the_most_confident_member()
    {
        var data = BuiltinDatasets.load("digits");
        using var model = Trainer.fit(data, new TrainingOptions { model = ModelKind.OneVsRest, standardize = true, max_iter = 50 });
        double[] member = model.member_proba(data);
        double[] proba = model.predict_proba(data).values;
        int[] predicted = model.predict(data);
        int k = 10;
        for (int i = 0; i < data.n_samples; i++)
        {
            var row = member.AsSpan(i * k, k).ToArray();
            double sum = row.Sum();
            for (int c = 0; c < k; c++) Close.Equal(row[c] / sum, proba[i * k + c], 1e-14);
            Assert.Equal(Array.IndexOf(row, row.Max()), predicted[i]);
        }
        // Members are fitted apart: their probabilities do not sum to 1.
        Assert.Contains(Enumerable.Range(0, data.n_samples), i => Math.Abs(member.AsSpan(i * k, k).ToArray().Sum() - 1) > 0.1);
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
        Assert.Equal(3, OneVsRest.count_ties(p, 3));
        Assert.Equal(4, OneVsRest.count_ties(p, 3, tolerance: 1e-11));
        Assert.Throws<ArgumentException>(() => OneVsRest.count_ties(p, 4));

        // A model whose members are all identical ties on every row, and predicts the first class.
        using var model = new OneVsRest(2, 3);
        using var x = tensor(new double[] { 1, 2, 3, 4 }, new long[] { 2, 2 });
        var member = model.member_proba(x).contiguous().data<double>().ToArray();
        Assert.Equal(2, OneVsRest.count_ties(member, 3));
        Assert.Equal(new long[] { 0, 0 }, model.predict(x).data<long>().ToArray());
        Close.All(Enumerable.Repeat(1.0 / 3, 6).ToArray(), model.predict_proba(x).contiguous().data<double>().ToArray(), 1e-15);
    }

    [Fact]
    public void Combined_history_counts_each_member_at_its_last_record()
    {
        static TrainingResult run(params (int It, double F, double Crit)[] records) => new(SolverKind.Lbfgs, new double[] { 0 }, records[^1].F, records[^1].Crit,
            records[^1].It, records[^1].Crit < 1e-6, records[^1].Crit < 1e-6 ? StopReason.Converged : StopReason.MaxIterations, "r", records.Length, 1.0, records.Select(r => new IterationRecord(r.It, r.F, r.Crit, 1, 0.5, r.F / 2)).ToList());
        var a = run((0, 1.0, 0.5), (1, 0.5, 0.1), (2, 0.25, 1e-7));
        var b = run((0, 2.0, 0.6), (2, 1.0, 1e-3), (4, 0.5, 1e-2));
        var combined = OneVsRestTrainer.combine(new[] { a, b }, new double[] { 1, 2 });
        Assert.Equal(new[] { 0, 1, 2, 4 }, combined.history.Select(h => h.iteration));
        Assert.Equal(new[] { 3.0, 2.5, 1.25, 0.75 }, combined.history.Select(h => h.objective));
        Assert.Equal(new[] { 0.6, 0.6, 1e-3, 1e-2 }, combined.history.Select(h => h.criterion));
        Assert.Equal(new double?[] { 1.5, 1.25, 0.625, 0.375 }, combined.history.Select(h => h.test_loss));
        Assert.Equal((0.75, 4, false), (combined.objective, combined.iterations, combined.converged));
        Assert.Contains("1 of 2 members did not converge: member 1", combined.stop_reason);
    }

    [Fact]
    public void Digits_one_vs_rest_reaches_95_percent_on_a_seeded_80_20_split()
    {
        var (train, test) = TrainTestSplit.split(BuiltinDatasets.load("digits"), 0.2, seed: 0);
        using var model = Trainer.fit(train, new TrainingOptions { model = ModelKind.OneVsRest, standardize = true, tol = 1e-8 }, test);
        Assert.True(model.result!.converged, model.result.stop_reason);
        Assert.Equal(10, model.member_results!.Count);
        Assert.True(Evaluation.of(model, test!).accuracy >= 0.95);
    }

    [Fact]
    public void Save_load_keeps_a_one_vs_rest_model_bit_for_bit()
    {
        var data = BuiltinDatasets.load("iris");
        using var model = Trainer.fit(data, new TrainingOptions { model = ModelKind.OneVsRest, standardize = true, label_smoothing = 0.05 });
        byte[] bytes = ModelFile.to_bytes(model);
        using var loaded = ModelFile.from_bytes(bytes, "m.bin");
        Assert.IsType<OneVsRest>(loaded.module);
        Assert.Equal(model.options, loaded.options);
        Assert.Equal(model.predict_proba(data).values, loaded.predict_proba(data).values);
        Assert.Equal(model.member_proba(data), loaded.member_proba(data));
        Assert.Equal(bytes, ModelFile.to_bytes(loaded));
    }

    [Fact]
    public void Member_probabilities_of_a_model_that_is_not_one_vs_rest_are_refused()
    {
        var data = BuiltinDatasets.load("iris");
        using var model = Trainer.fit(data, new TrainingOptions { model = ModelKind.Softmax, max_iter = 3 });
        Assert.Contains("one-vs-rest", Assert.Throws<InvalidOperationException>(() => model.member_proba(data)).Message);
    }
}
