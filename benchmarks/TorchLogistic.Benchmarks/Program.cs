using BenchmarkDotNet.Running;

// In process, always: BenchmarkDotNet's usual toolchain builds a generated project, which would copy libtorch's 1.5 GB of
// native libraries once more and load a copy that this build's native-loading patch (build/NativeLoading.targets) did not
// make. In process, the benchmarks run on this project's own output, patched by the build. The command-line switch keeps
// every other option (--job short, --filter, ...) working as documented.
string[] arguments = args.Contains("--inProcess") || args.Contains("-i") ? args : [.. args, "--inProcess"];
BenchmarkSwitcher.FromAssembly(typeof(TorchLogistic.Benchmarks.EvaluationBenchmarks).Assembly).Run(arguments);
