using System.Reflection;
using System.Reflection.Emit;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace TorchLogistic.Tests.Architecture;

/// <summary>
/// Finds, by the compiler's own binding, every place where C# code makes a TorchSharp <c>Scalar</c> that nothing keeps
/// alive (src/TorchLogistic/Native/Scalars.cs says why that breaks code running on several threads):
/// <list type="bullet">
/// <item>an implicit conversion to <c>Scalar</c> (<c>masked_fill(m, 0)</c>, <c>t == k</c>, <c>full(n, 0.5)</c>);</item>
/// <item>a call of a TorchSharp method, operator, constructor or property that makes one inside (<c>a + b</c>, whose
/// <c>add(Tensor)</c> passes an implicit alpha 1; <c>1 - p</c>; <c>t * 0.5</c>; <c>square()</c>, which is <c>pow(2)</c>).</item>
/// </list>
/// Which TorchSharp methods make one inside is read from TorchSharp.dll's IL, not listed by hand: a method whose body
/// calls <c>Scalar.op_Implicit</c> or a <c>ToScalar</c> extension, or (transitively) calls such a method of TorchSharp.
/// That over-approximates (a method that disposes what it made counts too), which only asks for an explicit Scalar
/// where one would not strictly be needed. An explicit <c>value.ToScalar()</c> / <c>Scalars.Of(value)</c> is not reported:
/// the caller owns it (and disposes it after the op).
/// </summary>
public static class ImplicitScalars
{
    private static readonly Lazy<HashSet<int>> CreatorTokens = new(() => ScalarCreators(typeof(TorchSharp.torch).Assembly));

    /// <summary>The metadata tokens of the TorchSharp methods that make a Scalar inside.</summary>
    public static IReadOnlySet<int> Creators => CreatorTokens.Value;

    /// <summary>
    /// The implicit Scalars in <paramref name="sources"/> (compiled together, with the framework's and TorchSharp's
    /// assemblies), one line each, <c>path:line: what: code</c>, in the files for which <paramref name="scan"/> is true;
    /// also a line for every expression the compiler could not bind there (then the scan would be blind to it).
    /// </summary>
    /// <param name="sources">(path, text) of every file of the compilation.</param>
    /// <param name="scan">Which paths to report on.</param>
    public static IReadOnlyList<string> Find(IReadOnlyList<(string Path, string Text)> sources, Func<string, bool> scan)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Preview, preprocessorSymbols: new[] { "NET", "NET10_0_OR_GREATER", "ELF_PATCH_WITHOUT_MSBUILD" });
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, parse, s.Path))
            .Append(CSharpSyntaxTree.ParseText(ImplicitUsings, parse, "ImplicitUsings.g.cs")).ToList();
        var compilation = CSharpCompilation.Create("ImplicitScalarScan", trees, References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Disable));
        // Files bind independently (a SemanticModel per tree, the compilation shared): one per core, in order.
        return trees.Where(t => scan(t.FilePath)).AsParallel().AsOrdered().SelectMany(tree => Scan(compilation, tree)).ToList();
    }

    private static List<string> Scan(CSharpCompilation compilation, SyntaxTree tree)
    {
        var found = new List<string>();
        var model = compilation.GetSemanticModel(tree);
        var seen = new HashSet<(TextSpan, string)>();
        foreach (var body in tree.GetRoot().DescendantNodes(n => !IsBody(n)).Where(IsBody))
        {
            if (model.GetOperation(body) is not { } root || root.Parent is not null) continue;
            foreach (var op in root.DescendantsAndSelf())
            {
                string? what = Describe(op);
                if (what is null || !seen.Add((op.Syntax.Span, what))) continue;
                int line = op.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                found.Add($"{tree.FilePath}:{line}: {what}: {op.Syntax.ToString().Split('\n')[0].Trim()}");
            }
        }
        return found;
    }

    private static bool IsBody(SyntaxNode n) => n is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or ArrowExpressionClauseSyntax or EqualsValueClauseSyntax;

    private static string? Describe(IOperation op) => op switch
    {
        IInvalidOperation => "not bound (the scan cannot see inside)",
        IConversionOperation { OperatorMethod: { } m } c when m.ContainingType?.ToDisplayString() == "TorchSharp.Scalar" => $"implicit {c.Operand.Type} → Scalar",
        IInvocationOperation i when MakesScalar(i.TargetMethod) => Inside(i.TargetMethod),
        IBinaryOperation { OperatorMethod: { } m } when MakesScalar(m) => Inside(m),
        IUnaryOperation { OperatorMethod: { } m } when MakesScalar(m) => Inside(m),
        ICompoundAssignmentOperation { OperatorMethod: { } m } when MakesScalar(m) => Inside(m),
        IObjectCreationOperation { Constructor: { } m } when MakesScalar(m) => Inside(m),
        IMethodReferenceOperation r when MakesScalar(r.Method) => Inside(r.Method),
        IPropertyReferenceOperation { Property.GetMethod: { } m } when MakesScalar(m) => Inside(m),
        _ => null,
    };

    private static string Inside(IMethodSymbol m) =>
        $"{m.ContainingType?.Name}.{m.Name}({string.Join(", ", m.Parameters.Select(p => p.Type.Name))}) makes a Scalar inside";

    private static bool MakesScalar(IMethodSymbol method)
    {
        var m = (method.ReducedFrom ?? method).OriginalDefinition;
        return m.ContainingAssembly?.Name == "TorchSharp" && Creators.Contains(m.MetadataToken);
    }

    private const string ImplicitUsings =
        "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; " +
        "global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;";

    /// <summary>The framework's assemblies and those the core references (TorchSharp and its bridge): what its sources bind against.</summary>
    private static readonly Lazy<List<MetadataReference>> References = new(() =>
    {
        string framework = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var core = typeof(TorchLogistic.Native.TorchSharpNative).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        return ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetDirectoryName(p) == framework || core.Contains(Path.GetFileNameWithoutExtension(p)))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
    });

    /// <summary>Tokens of the methods of <paramref name="torchsharp"/> whose IL makes a Scalar, directly or through another of its methods.</summary>
    private static HashSet<int> ScalarCreators(Assembly torchsharp)
    {
        var opcodes = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (OpCode)f.GetValue(null)!).ToList();
        var oneByte = opcodes.Where(o => o.Size == 1).ToDictionary(o => (byte)o.Value);
        var twoByte = opcodes.Where(o => o.Size == 2).ToDictionary(o => (byte)(o.Value & 0xff));
        var scalar = torchsharp.GetType("TorchSharp.Scalar", throwOnError: true)!;
        var conversions = torchsharp.GetType("TorchSharp.ScalarExtensionMethods", throwOnError: true)!;
        bool IsMaker(MethodBase m) => m.DeclaringType == conversions || (m.DeclaringType == scalar && m.Name == "op_Implicit");
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var makers = new HashSet<int>();
        var callees = new Dictionary<int, List<int>>();
        foreach (var method in torchsharp.GetTypes().SelectMany(t => t.GetMembers(all)).OfType<MethodBase>())
        {
            if (IsMaker(method) || method.GetMethodBody()?.GetILAsByteArray() is not { } il) continue;
            var calls = new List<int>();
            for (int i = 0; i < il.Length;)
            {
                var op = il[i] == 0xFE ? twoByte[il[i + 1]] : oneByte[il[i]];
                i += op.Size;
                if (op.OperandType == OperandType.InlineMethod && Resolve(method, BitConverter.ToInt32(il, i)) is { } callee)
                {
                    if (IsMaker(callee)) makers.Add(method.MetadataToken);
                    else if (callee.Module == method.Module) calls.Add(callee.MetadataToken);
                }
                i += op.OperandType switch
                {
                    OperandType.InlineNone => 0,
                    OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                    OperandType.InlineVar => 2,
                    OperandType.InlineI8 or OperandType.InlineR => 8,
                    OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, i),
                    _ => 4,
                };
            }
            callees[method.MetadataToken] = calls;
        }
        for (bool grew = true; grew;)
        {
            grew = false;
            foreach (var (token, calls) in callees)
                if (!makers.Contains(token) && calls.Any(makers.Contains)) grew = makers.Add(token) || grew;
        }
        return makers;
    }

    /// <summary>The method a call instruction names (a method of a constructed generic carries its definition's token).</summary>
    private static MethodBase? Resolve(MethodBase caller, int token)
    {
        try
        {
            return caller.Module.ResolveMethod(token, caller.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null,
                caller.IsGenericMethod ? caller.GetGenericArguments() : null);
        }
        catch (Exception e) when (e is ArgumentException or TypeLoadException or FileNotFoundException or BadImageFormatException)
        {
            return null; // a method of an assembly TorchSharp references but that is not loaded here: not TorchSharp's own
        }
    }
}
