using System.CommandLine;

namespace LeanMlirVerify.Cli;

/// <summary>Every top-level command; each lives in its own file and only parses, renders and calls a library.</summary>
static class Commands
{
    public static IEnumerable<Command> All() =>
    [
        TrainCommand.Create(),
        LedgerCommand.Create(),
        CheckCommand.Create(),
        ParamsCommand.Create(),
        WhyCommand.Create(),
        BenchCommand.Create(),
        TraceCommand.Create(),
        BestiaryCommand.Create(),
        AblationCommand.Create(),
        DataPackageCommand.Create(),
    ];
}
