using System.CommandLine;
using System.Diagnostics;
using LeanMlirVerify.Calculus.Derivations;
using LeanMlirVerify.Training.Comparisons;
using LeanMlirVerify.Training.Trainer;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Checking;
using Spectre.Console;

namespace LeanMlirVerify.Cli;

/// <summary>
/// <c>lmv check</c>: with no family flag, every family that fits in a minute here (symbolic, the book's FD checks, FD at
/// stated configurations, FD properties at random shapes, the per-rule oracle, the differential cases) in one table,
/// exit 1 on any failure. The flags are subsets: <c>--symbolic</c>, <c>--fd</c> (the book's checks as the book wrote
/// them, then the configurations and properties), <c>--oracle</c>, <c>--differential</c>, <c>--twin NET</c>; and
/// <c>--mutants</c>, the mutation score.
/// </summary>
static class CheckCommand
{
    public static Command Create()
    {
        var symbolic = new Option<bool>("--symbolic")
        {
            Description = "Derive each Jacobian/VJP symbolically and compare with the book's closed form.",
        };
        var fd = new Option<bool>("--fd")
        {
            Description = "The book's finite-difference checks (float64, ε = 1e-5), then FD at stated configurations (batch > 1, "
                + "stride 2, padded odd sizes, ε > 0, every γ/β) and FD properties of every catalog rule at random shapes.",
        };
        var item = new Option<string?>("--item")
        {
            Description = "Only this ledger item or check (e.g. pdiv_softmax), for --symbolic and the book's FD checks.",
        };
        var oracle = new Option<bool>("--oracle")
        {
            Description = "Each rule's y, dx and parameter cotangents against libtorch autograd of its twin (float64, kinks at "
                + "exact values).",
        };
        var differential = new Option<bool>("--differential")
        {
            Description = "Train the differential cases 3 steps through the hand-derived graph and the autograd twin (float64 and "
                + "float32); compare every step-1 gradient tensor and the losses.",
        };
        var twin = new Option<string?>("--twin")
        {
            Description = "One float64 step of this net (batch 2, full resolution): every gradient tensor and the input cotangent "
                + "against the autograd twin.",
        };
        var mutants = new Option<bool>("--mutants")
        {
            Description = "The mutation score: every mutant of the rules (in memory), of the twin and of the closed forms against "
                + "the check families; exit 1 when one survives.",
        };
        var mutant = new Option<string?>("--mutant") { Description = "Only this mutant (an id from --mutants)." };
        var firstKill = new Option<bool>("--first-kill")
        {
            Description = "With --mutants: stop at each mutant's first killing family (faster; the per-family score is then partial).",
        };
        var device = new Option<string>("--device")
        {
            Description = "cpu or cuda, for --differential and --twin", DefaultValueFactory = _ => "cpu",
        };
        device.AcceptOnlyFromAmong(TrainDevice.Names);
        var command = new Command("check", "Check the book's backward rules: every family with no flag, or the families the flags name.")
        {
            symbolic, fd, item, oracle, differential, twin, mutants, mutant, firstKill, device,
        };
        command.SetAction(parse =>
        {
            var clock = Stopwatch.StartNew();
            bool runSymbolic = parse.GetValue(symbolic), runFd = parse.GetValue(fd), runOracle = parse.GetValue(oracle),
                runDifferential = parse.GetValue(differential), runMutants = parse.GetValue(mutants);
            var (twinNet, oneMutant) = (parse.GetValue(twin), parse.GetValue(mutant));
            TorchSharp.torch.Device where;
            try { where = TrainDevice.Resolve(parse.GetValue(device)!); }
            catch (Exception e) when (e is NotSupportedException or ArgumentException)
            {
                Console.Error.WriteLine($"lmv check: {e.Message}");
                return ExitCodes.Usage;
            }
            LibTorchRuntime.Apply(RuntimeSettings.Checking); // as tests/Oracle: IEEE float32, no oneDNN, one thread
            if (!runSymbolic && !runFd && !runOracle && !runDifferential && twinNet is null && !runMutants && oneMutant is null)
                return CheckTable.Render(CheckTable.Run(CheckFamilies.All(where)), clock);
            int rc = 0;
            if (runSymbolic) rc = Math.Max(rc, RunSymbolic(parse.GetValue(item)));
            if (runFd)
            {
                rc = Math.Max(rc, CheckFdCommand.Run(parse.GetValue(item)));
                if (parse.GetValue(item) is null)
                    rc = Math.Max(rc, CheckTable.Render(CheckTable.Run([VjpFamilies.Configurations, VjpFamilies.Property]), clock));
            }
            if (runOracle) rc = Math.Max(rc, CheckTable.Render(CheckTable.Run([OracleFamilies.RuleOracle()]), clock));
            if (runDifferential) rc = Math.Max(rc, CheckOracleCommand.RunDifferential(where));
            if (twinNet is not null) rc = Math.Max(rc, CheckOracleCommand.RunTwin(twinNet, where));
            if (runMutants || oneMutant is not null) rc = Math.Max(rc, CheckMutantsCommand.Run(oneMutant, parse.GetValue(firstKill)));
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
            table.AddRow(Markup.Escape(r.Item), Markup.Escape(r.Sizes), r.Method, r.Failed ? $"[red]{result}[/]" : result,
                $"{r.Elapsed.TotalMilliseconds:F0} ms");
        }
        AnsiConsole.Write(table);
        foreach (var r in rows.Where(r => r.Detail is not null && r.Result != "axiom: not derived"))
            Console.WriteLine($"{r.Item}: {r.Result}: {r.Detail}");
        int failed = rows.Count(r => r.Failed);
        Console.WriteLine($"{rows.Count} rows, {rows.Count(r => r.Result == "checked")} checked, {failed} failed");
        return failed == 0 ? ExitCodes.Ok : ExitCodes.Failed;
    }
}
