using System.CommandLine;
using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Training.Graph;
using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Cli;

/// <summary><c>lmv why NET</c>: the ledger items a network's backward rests on, grouped by kind, with their evidence.</summary>
static class WhyCommand
{
    public static Command Create()
    {
        var net = new Argument<string>("net") { Description = "a net name (lmv params lists them)" };
        var command = new Command("why", "The derivation of a network's backward: the ledger items it rests on and how each is checked.") { net };
        command.SetAction(result => Run(result.GetValue(net)!));
        return command;
    }

    static int Run(string name)
    {
        var entry = Catalog.Find(name);
        if (entry is null)
        {
            Console.Error.WriteLine($"lmv why: unknown net '{name}'. Known nets: {string.Join(", ", Catalog.Names)}");
            return 2;
        }
        try
        {
            Console.WriteLine(NetworkDerivation.Of(entry.Spec, ProofsLedger.LoadDefault()).Text());
            return 0;
        }
        catch (Exception e) when (e is SpecException or LedgerException or NotSupportedException or InvalidOperationException)
        {
            Console.Error.WriteLine($"lmv why: {e.Message}");
            return 1;
        }
    }
}
