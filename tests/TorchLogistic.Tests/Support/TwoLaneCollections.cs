using System.Collections.Concurrent;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: CollectionBehavior("TorchLogistic.Tests.Support.TwoLaneCollections", "TorchLogistic.Tests", MaxParallelThreads = 2)]

namespace TorchLogistic.Tests.Support;

/// <summary>
/// How xunit groups the test classes: every class runs in ONE collection, one test at a time, as before (libtorch's
/// global state, the bit-for-bit checks and the in-process timings and memory peaks see no other test), except the
/// classes marked <c>[Collection(…)]</c>, which spend their time waiting for child processes (the CLI, mpirun, the
/// notebook kernels): each such collection runs beside the in-process one, on the second core, so CI's wall time is
/// not the sum of both. A class that does numeric work in this process (libtorch, training, model files) must not be
/// given a <c>[Collection]</c>, and a child-process class must neither read nor change process-wide state (the working
/// directory, Console, environment variables), which some in-process tests set for a moment.
/// </summary>
public sealed class TwoLaneCollections : IXunitTestCollectionFactory
{
    /// <summary>The collection of every class without a <c>[Collection]</c> attribute.</summary>
    public const string InProcess = "In-process tests, one at a time";

    /// <summary>
    /// The classes whose tests mostly wait for the CLI, mpirun, Python, <c>dotnet run</c> or a notebook kernel, one at a
    /// time among themselves; what they do in this process is reading outputs and files.
    /// </summary>
    public const string ChildProcesses = "Tests that wait for child processes, one at a time";

    private readonly ITestAssembly _assembly;
    private readonly ConcurrentDictionary<string, ITestCollection> _collections = new();

    public TwoLaneCollections(ITestAssembly testAssembly, IMessageSink diagnosticMessageSink)
    {
        _assembly = testAssembly;
    }

    public string DisplayName => "two lanes: in-process tests one at a time, child-process collections beside them";

    public ITestCollection Get(ITypeInfo testClass)
    {
        var attribute = testClass.GetCustomAttributes(typeof(CollectionAttribute)).SingleOrDefault();
        string name = attribute?.GetConstructorArguments().Single() as string ?? InProcess;
        return _collections.GetOrAdd(name, n => new TestCollection(_assembly, null, n));
    }
}
