using System.CommandLine;
using System.Diagnostics;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Checking;
using Spectre.Console;

namespace LeanMlirVerify.Cli;

/// <summary>
/// The book's finite-difference checks against our backward code: prints item, check, sizes, max error, result and
/// exits 1 when any check fails (the book's script always exits 0). To be merged into <c>lmv check --fd</c>.
/// </summary>
static class CheckFdCommand
{
    public static Command Create()
    {
        var item = new Option<string?>("--item") { Description = "run only the checks of this ledger item or check name" };
        var command = new Command("check-fd", "run the book's finite-difference checks (float64, ε = 1e-5, error < 1e-7)") { item };
        command.SetAction(parse => Run(parse.GetValue(item)));
        return command;
    }

    public static int Run(string? item)
    {
        var clock = Stopwatch.StartNew();
        // Thousands of tiny forwards: one intra-op thread is several times faster than two here.
        TorchSharp.torch.set_num_threads(1);
        LibTorchRuntime.DisableNnpack();
        IReadOnlyList<CheckResult> rows;
        try
        {
            rows = FdSuite.Run(item);
        }
        catch (KeyNotFoundException e)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]{e.Message}[/]");
            return 2;
        }
        Render(rows);
        var failed = rows.Count(r => !r.Passed);
        AnsiConsole.MarkupLineInterpolated(
            $"{rows.Count - failed}/{rows.Count} rows passed in {clock.Elapsed.TotalSeconds:0.00} s in-process (TorchSharp load included, .NET start-up not).");
        return failed == 0 ? 0 : 1;
    }

    /// <summary>One table row per check result; failures show the worst entry.</summary>
    public static void Render(IReadOnlyList<CheckResult> rows)
    {
        var table = new Table().AddColumns("item", "check", "sizes", "max error", "result");
        foreach (var r in rows)
            table.AddRow(
                Markup.Escape(r.Item), Markup.Escape(r.Check), Markup.Escape(r.Sizes), r.MaxError.ToString("0.00e+00"),
                r.Passed ? "[green]pass[/]" : $"[red]FAIL[/] {Markup.Escape(r.Detail)}");
        AnsiConsole.Write(table);
    }
}
