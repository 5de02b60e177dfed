using TorchLogistic.IO;
using TorchLogistic.Objectives;
using TorchLogistic.Optim;
using TorchLogistic.Training;

namespace TorchLogistic.Tests.Optim;

/// <summary>The one table between <see cref="SolverKind"/> and the text of the command line, model files and metrics.json.</summary>
public class SolverKindTests
{
    // The names as the command line, model files, metrics.json and optima.json spelt them while the solver was a string.
    [Theory]
    [InlineData(SolverKind.Auto, "auto")]
    [InlineData(SolverKind.Gd, "gd")]
    [InlineData(SolverKind.GdLipschitz, "gd-lipschitz")]
    [InlineData(SolverKind.Adagrad, "adagrad")]
    [InlineData(SolverKind.Sgd, "sgd")]
    [InlineData(SolverKind.Newton, "newton")]
    [InlineData(SolverKind.NewtonCg, "newton-cg")]
    [InlineData(SolverKind.NewtonPcg, "newton-pcg")]
    [InlineData(SolverKind.NewtonSubspace, "newton-subspace")]
    [InlineData(SolverKind.NewtonHcg, "newton-hcg")]
    [InlineData(SolverKind.Lbfgs, "lbfgs")]
    [InlineData(SolverKind.LbfgsPrecond, "lbfgs-precond")]
    [InlineData(SolverKind.Fista, "fista")]
    [InlineData(SolverKind.OwlQn, "owlqn")]
    public void Each_solver_keeps_its_text_both_ways_and_in_the_stored_options(SolverKind solver, string name)
    {
        Assert.Equal(name, SolverRegistry.NameOf(solver));
        Assert.Equal(solver, SolverRegistry.Parse(name));
        Assert.Equal(name, (string?)ModelFile.OptionsToJson(new TrainingOptions { Solver = solver })["solver"]);
        if (solver != SolverKind.Auto)
            Assert.Equal(name, SolverRegistry.Create(new SolverSettings { Solver = solver }).Name);
    }

    [Fact]
    public void The_table_lists_every_solver_once_in_help_order()
    {
        Assert.Equal(new[] { "gd", "gd-lipschitz", "adagrad", "sgd", "newton", "newton-cg", "newton-pcg", "newton-subspace", "newton-hcg", "lbfgs", "lbfgs-precond", "fista", "owlqn" }, SolverRegistry.Names);
        Assert.Equal(Enum.GetValues<SolverKind>().Where(k => k != SolverKind.Auto), SolverRegistry.Kinds);
        Assert.Equal(new[] { SolverKind.Gd, SolverKind.GdLipschitz, SolverKind.Adagrad, SolverKind.Fista, SolverKind.OwlQn }, SolverRegistry.L1Kinds);
    }

    [Fact]
    public void Unknown_names_and_undefined_values_are_refused_with_the_list()
    {
        var e = Assert.Throws<ArgumentException>(() => SolverRegistry.Parse("Lbfgs"));
        Assert.Equal("Unknown solver 'Lbfgs'. Use one of: auto, gd, gd-lipschitz, adagrad, sgd, newton, newton-cg, newton-pcg, newton-subspace, newton-hcg, lbfgs, lbfgs-precond, fista, owlqn.", e.Message);
        Assert.False(SolverRegistry.TryParse(null, out _));
        Assert.Equal("TrainingOptions.Solver 99 is not a SolverKind.", Assert.Throws<ArgumentException>(() => new TrainingOptions { Solver = (SolverKind)99 }.Validate()).Message);
    }

    [Fact]
    public void Auto_resolves_by_penalty_and_size()
    {
        Assert.Equal(SolverKind.OwlQn, SolverRegistry.Resolve(SolverKind.Auto, PenaltyKind.L1, 10));
        Assert.Equal(SolverKind.LbfgsPrecond, SolverRegistry.Resolve(SolverKind.Auto, PenaltyKind.L2, SolverRegistry.PreconditionedMaxColumns - 1));
        Assert.Equal(SolverKind.Lbfgs, SolverRegistry.Resolve(SolverKind.Auto, PenaltyKind.L2, SolverRegistry.PreconditionedMaxColumns));
        Assert.Equal(SolverKind.Newton, SolverRegistry.Resolve(SolverKind.Newton, PenaltyKind.L1, 10));
        Assert.Equal(SolverKind.Adagrad, StreamingTrainer.Resolve(SolverKind.Auto, PenaltyKind.ElasticNet));
        Assert.Equal(SolverKind.Sgd, StreamingTrainer.Resolve(SolverKind.Auto, PenaltyKind.L2));
    }
}
