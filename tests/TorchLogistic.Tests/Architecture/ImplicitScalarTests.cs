using Xunit.Abstractions;
using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Architecture;

/// <summary>
/// The core makes no TorchSharp Scalar that a garbage collection on another thread could free while libtorch reads it
/// (src/TorchLogistic/Native/Scalars.cs): cross-validation fits folds on several threads at once, and an implicit Scalar
/// there made libtorch fail with "Expected false to be true". Deterministic, unlike the stress test in
/// Native/ScalarLifetimeTests.cs: it reads the code, not a race.
/// </summary>
public class ImplicitScalarTests(ITestOutputHelper output)
{
    private static string Core => Repository.Path("src", "TorchLogistic");

    /// <summary>
    /// The folders whose code fold fits and their scoring run (Trainer, TrainingLoop, the solvers SolverFor picks and their
    /// line searches, objectives, losses, models, data subsets and scalers, metrics, selection, calibration), all bound but
    /// only these scanned, to keep the test quick (~2 s of binding here; the whole core takes twice as long). The other
    /// folders (Checking, Distributed, Inference, IO, Export) were cleaned too but are not guarded.
    /// </summary>
    public static IReadOnlyList<string> Guarded { get; } =
        new[] { "Native", "Sparse", "Losses", "Data", "Models", "Calibration", "Objectives", "Optim", "Training", "Metrics", "Selection" };

    [Fact]
    public void The_core_makes_no_implicit_scalar()
    {
        var sources = Directory.EnumerateFiles(Core, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
            .Append(Repository.Path("build", "ElfWeakVersionPatch.cs"))
            .Select(f => (f, File.ReadAllText(f))).ToList();
        Assert.True(sources.Count > 100, $"only {sources.Count} source files under {Core}");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var found = ImplicitScalars.Find(sources, path => Guarded.Any(folder => path.StartsWith($"{Core}/{folder}/", StringComparison.Ordinal)))
            .Select(line => line[(Core.Length + 1)..]).ToList();
        output.WriteLine($"{sources.Count} files bound and scanned in {clock.Elapsed.TotalSeconds:F1} s ({(System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F1} s of CPU)");
        Assert.True(found.Count == 0,
            $"{found.Count} implicit TorchSharp Scalar(s) in src/TorchLogistic ({string.Join(", ", Guarded)}); use Native/ScalarArithmetic (a.Plus(b), t.Times(c), t.SubtractedFrom(1), …), " +
            $"Native/Scalars (Scalars.Zero, Scalars.One) or `using var s = Scalars.Of(value);`:{Environment.NewLine}{string.Join(Environment.NewLine, found)}");
    }

    [Fact]
    public void TorchSharps_hidden_scalars_are_found_in_its_IL()
    {
        // add(Tensor) is `add(target, 1)`, `1 - t` is `t.negative().add(1)`, square() is pow(2); the overloads that take
        // every Scalar from the caller make none.
        var tensor = typeof(TorchSharp.torch.Tensor);
        int Token(string name, params Type[] parameters) => tensor.GetMethod(name, parameters)!.MetadataToken;
        var scalar = typeof(TorchSharp.Scalar);
        Assert.Contains(Token("add", tensor), ImplicitScalars.Creators);
        Assert.Contains(Token("op_Addition", tensor, tensor), ImplicitScalars.Creators);
        Assert.Contains(Token("op_Subtraction", typeof(double), tensor), ImplicitScalars.Creators);
        Assert.Contains(Token("op_Multiply", tensor, typeof(double)), ImplicitScalars.Creators);
        Assert.Contains(Token("square"), ImplicitScalars.Creators);
        Assert.DoesNotContain(Token("add", tensor, scalar), ImplicitScalars.Creators);
        Assert.DoesNotContain(Token("op_Subtraction", tensor, tensor), ImplicitScalars.Creators);
        Assert.DoesNotContain(Token("op_Multiply", tensor, scalar), ImplicitScalars.Creators);
        Assert.DoesNotContain(Token("masked_fill", tensor, scalar), ImplicitScalars.Creators);
    }

    [Fact]
    public void Each_kind_of_implicit_scalar_is_reported_with_line_and_reason_and_explicit_ones_are_not()
    {
        const string code = """
            using TorchSharp;
            using static TorchSharp.torch;
            static class Sketch
            {
                static readonly Scalar One = 1.ToScalar();
                static Tensor Bad(Tensor a, Tensor b, Tensor m, double c)
                {
                    var sum = a + b;
                    var rest = 1 - a;
                    var filled = a.masked_fill(m, 0);
                    var scaled = a * c;
                    var squared = a.square();
                    a += b;
                    System.Func<Tensor> later = a.square;
                    return full(3, c);
                }
                static Tensor Good(Tensor a, Tensor b, Tensor m, double c)
                {
                    using var s = c.ToScalar();
                    var d = a - b;
                    var e = a * b / b;
                    var sum = a.add(b, One);
                    var filled = a.masked_fill(m, One);
                    return (d * s).add_(e, One).sub(s).mul(sum.mul(filled));
                }
            }
            """;
        var found = ImplicitScalars.Find(new[] { ("Sketch.cs", code) }, path => path == "Sketch.cs");
        Assert.Equal(new[]
        {
            "Sketch.cs:8: Tensor.op_Addition(Tensor, Tensor) makes a Scalar inside: a + b",
            "Sketch.cs:9: Tensor.op_Subtraction(Int32, Tensor) makes a Scalar inside: 1 - a",
            "Sketch.cs:10: implicit int → Scalar: 0",
            "Sketch.cs:11: Tensor.op_Multiply(Tensor, Double) makes a Scalar inside: a * c",
            "Sketch.cs:12: Tensor.square() makes a Scalar inside: a.square()",
            "Sketch.cs:13: Tensor.op_Addition(Tensor, Tensor) makes a Scalar inside: a += b",
            "Sketch.cs:14: Tensor.square() makes a Scalar inside: a.square",
            "Sketch.cs:15: implicit double → Scalar: c",
        }, found);
    }

    [Fact]
    public void Code_the_compiler_cannot_bind_is_reported_not_skipped()
    {
        var found = ImplicitScalars.Find(new[] { ("Broken.cs", "static class B { static object F(TorchSharp.torch.Tensor a) => a.no_such_method(0); }") }, _ => true);
        Assert.Contains(found, line => line.StartsWith("Broken.cs:1: not bound", StringComparison.Ordinal));
    }
}
