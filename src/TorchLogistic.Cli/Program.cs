using System.CommandLine;
using TorchLogistic.Cli;
using TorchLogistic.Cli.Commands;

var root = new RootCommand("TorchLogistic: logistic regression done properly on TorchSharp — train, predict, check.");
root.Options.Add(CommonOptions.Verbose);
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(TrainCommand.CreateCv());
root.Subcommands.Add(PredictCommand.Create());
root.Subcommands.Add(EvaluateCommand.Create());
root.Subcommands.Add(ImportanceCommand.Create());
root.Subcommands.Add(ExportCommand.Create());
root.Subcommands.Add(CompareModelsCommand.Create());
root.Subcommands.Add(CompareSolversCommand.Create());
root.Subcommands.Add(GradcheckCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
return await CliRunner.Run(root, args);
