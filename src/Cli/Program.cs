using System.CommandLine;
using LeanMlirVerify.Cli;
using LeanMlirVerify.Training.Trainer;

var root = new RootCommand("lmv: backpropagation as one operation (the VJP), checked three ways and used to train the book's models.");
foreach (var command in Commands.All()) root.Subcommands.Add(command);
var parsed = root.Parse(args);
// The run commands keep one exit-code map (docs/training-runs.md): a flag they cannot parse is a usage error, code 2,
// said in one line per problem rather than System.CommandLine's default (code 1 and the whole help text).
if (parsed.Errors.Count > 0 && parsed.CommandResult.Command.Name is "train" or "ablation")
{
    foreach (var error in parsed.Errors)
    {
        string message = string.Join(" ", error.Message.Split('\n', StringSplitOptions.TrimEntries));
        Console.Error.WriteLine($"lmv {parsed.CommandResult.Command.Name}: {message}");
    }
    return ExitCodes.Usage;
}
return parsed.Invoke();
