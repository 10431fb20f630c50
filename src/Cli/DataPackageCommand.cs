using System.CommandLine;
using LeanMlirVerify.Training.Data;
using LeanMlirVerify.Training.Trainer;

namespace LeanMlirVerify.Cli;

/// <summary>
/// <c>lmv data-package NET</c> (hidden): prints the Debian package to install before <c>lmv train NET</c> can find its
/// default data, or nothing. The <c>lmv</c> wrapper asks this instead of matching net names itself.
/// </summary>
static class DataPackageCommand
{
    public static Command Create()
    {
        var net = new Argument<string>("net");
        var command = new Command("data-package", "The Debian package lmv train NET's default data needs, if missing.") { net };
        command.Hidden = true;
        command.SetAction(r =>
        {
            if (TrainTargets.Resolve(r.GetValue(net)!).Entry is { } entry && new DataLocator().MissingPackage(entry.Dataset) is { } package)
                Console.WriteLine(package);
            return ExitCodes.Ok;
        });
        return command;
    }
}
