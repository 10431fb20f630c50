using System.CommandLine;
using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Training.Graph;
using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Training.Trainer;

namespace LeanMlirVerify.Cli;

/// <summary><c>lmv why NET</c>: the ledger items a network's backward rests on, grouped by kind, with their evidence.</summary>
static class WhyCommand
{
    public static Command Create()
    {
        var net = new Argument<string>("net")
        {
            Description = "a net name (lmv params lists them), a bestiary spec that trains here, or a spec file (NET.yaml)"
        };
        var ledger = new Option<string?>("--ledger")
        {
            Description = "The ledger folder (default: proofs-ledger/ of the repository around the current directory)",
        };
        var command = new Command("why", "The derivation of a network's backward: the ledger items it rests on and how each is checked.")
            { net, ledger };
        command.SetAction(result => Run(result.GetValue(net)!, result.GetValue(ledger)));
        return command;
    }

    static int Run(string name, string? ledgerDir)
    {
        var target = TrainTargets.Resolve(name);
        if (target.Entry is not { } entry)
        {
            Console.Error.WriteLine($"lmv why: {target.Refusal}");
            return target.RefusalCode;
        }
        try
        {
            var ledger = ledgerDir is null ? ProofsLedger.LoadDefault() : ProofsLedger.Load(ledgerDir);
            Console.WriteLine(NetworkDerivation.Of(entry.Spec, ledger).Text());
            return ExitCodes.Ok;
        }
        // No ledger folder (outside the repository, or a wrong --ledger) is a one-line message, not a stack trace.
        catch (Exception e) when (e is SpecException or LedgerException or DirectoryNotFoundException or NotSupportedException
                                      or InvalidOperationException)
        {
            Console.Error.WriteLine($"lmv why: {e.Message}");
            return ExitCodes.BadInput;
        }
    }
}
