using System.CommandLine;
using TorchLogistic.Cli;
using TorchLogistic.Cli.Commands;

var root = new RootCommand("TorchLogistic: logistic regression done properly on TorchSharp — train, predict, check.");
root.Options.Add(CommonOptions.Verbose);
root.Subcommands.Add(TrainCommand.create());
root.Subcommands.Add(PredictCommand.create());
root.Subcommands.Add(CompareSolversCommand.create());
root.Subcommands.Add(GradcheckCommand.create());
root.Subcommands.Add(BenchCommand.create());
return await CliRunner.run(root, args);
