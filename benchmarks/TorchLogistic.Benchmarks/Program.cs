using BenchmarkDotNet.Running;

// In process, always: the benchmarks then run on this project's own output, whose libLibTorchSharp.so the build's
// native-loading patch (build/NativeLoading.targets) has fixed, instead of in a generated project that BenchmarkDotNet's
// usual toolchain would build with another 1.5 GB copy of libtorch. Passing the command-line switch keeps every other
// option (--job short, --filter, ...) working as documented.
string[] arguments = args.Contains("--inProcess") || args.Contains("-i") ? args : [.. args, "--inProcess"];
BenchmarkSwitcher.FromAssembly(typeof(TorchLogistic.Benchmarks.EvaluationBenchmarks).Assembly).Run(arguments);
