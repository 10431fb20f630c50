using System.CommandLine;
using LeanMlirVerify.Calculus.Derivations;
using LeanMlirVerify.Training.Trainer;
using LeanMlirVerify.Vjp.Algebra;
using Spectre.Console;

namespace LeanMlirVerify.Cli;

/// <summary>
/// <c>lmv check</c>: the derivation catalog (<c>--symbolic</c>), the book's finite-difference checks (<c>--fd</c>) and
/// the autograd oracle on a device (<c>--differential</c>, <c>--twin NET</c>, <c>--device</c>).
/// </summary>
static class CheckCommand
{
    public static Command Create()
    {
        var symbolic = new Option<bool>("--symbolic") { Description = "Derive each Jacobian/VJP symbolically and compare with the book's closed form." };
        var fd = new Option<bool>("--fd") { Description = "Run the book's finite-difference checks against the TorchSharp backward code (float64, ε = 1e-5)." };
        var item = new Option<string?>("--item") { Description = "Only this ledger item or check (e.g. pdiv_softmax)." };
        var differential = new Option<bool>("--differential") { Description = "Train the differential cases 3 steps through the hand-derived graph and the autograd twin (float64 and float32); compare every step-1 gradient tensor and the losses." };
        var twin = new Option<string?>("--twin") { Description = "One float64 step of this net (batch 2, full resolution): every gradient tensor and the input cotangent against the autograd twin." };
        var device = new Option<string>("--device") { Description = "cpu or cuda, for --differential and --twin", DefaultValueFactory = _ => "cpu" };
        device.AcceptOnlyFromAmong(TrainDevice.Names);
        var command = new Command("check", "Check the book's backward rules.") { symbolic, fd, item, differential, twin, device };
        command.SetAction(parse =>
        {
            bool runSymbolic = parse.GetValue(symbolic), runFd = parse.GetValue(fd), runDifferential = parse.GetValue(differential);
            var twinNet = parse.GetValue(twin);
            if (!runSymbolic && !runFd && !runDifferential && twinNet is null)
            {
                Console.Error.WriteLine("lmv check: choose --symbolic, --fd, --differential or --twin NET (any together)");
                return ExitCodes.Usage;
            }
            int rc = 0;
            if (runSymbolic) rc = Math.Max(rc, RunSymbolic(parse.GetValue(item)));
            if (runFd) rc = Math.Max(rc, CheckFdCommand.Run(parse.GetValue(item)));
            if (!runDifferential && twinNet is null) return rc;
            TorchSharp.torch.Device where;
            try { where = TrainDevice.Resolve(parse.GetValue(device)!); }
            catch (Exception e) when (e is NotSupportedException or ArgumentException)
            {
                Console.Error.WriteLine($"lmv check: {e.Message}");
                return ExitCodes.Usage;
            }
            LibTorchRuntime.Apply(RuntimeSettings.Checking); // as tests/Oracle: IEEE float32, no oneDNN, one thread
            if (runDifferential) rc = Math.Max(rc, CheckOracleCommand.RunDifferential(where));
            if (twinNet is not null) rc = Math.Max(rc, CheckOracleCommand.RunTwin(twinNet, where));
            return rc;
        });
        return command;
    }

    static int RunSymbolic(string? item)
    {
        IReadOnlyList<SuiteRow> rows;
        try { rows = SymbolicSuite.Run(item); }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"lmv check --symbolic: {e.Message}");
            return ExitCodes.Usage;
        }
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 200;
        var table = new Table().Border(TableBorder.Simple).AddColumns("item", "sizes", "method", "result", "time");
        foreach (var r in rows)
        {
            var result = Markup.Escape(r.Result);
            table.AddRow(Markup.Escape(r.Item), Markup.Escape(r.Sizes), r.Method, r.Failed ? $"[red]{result}[/]" : result, $"{r.Elapsed.TotalMilliseconds:F0} ms");
        }
        AnsiConsole.Write(table);
        foreach (var r in rows.Where(r => r.Detail is not null && r.Result != "axiom: not derived"))
            Console.WriteLine($"{r.Item}: {r.Result}: {r.Detail}");
        int failed = rows.Count(r => r.Failed);
        Console.WriteLine($"{rows.Count} rows, {rows.Count(r => r.Result == "checked")} checked, {failed} failed");
        return failed == 0 ? ExitCodes.Ok : ExitCodes.Failed;
    }
}
