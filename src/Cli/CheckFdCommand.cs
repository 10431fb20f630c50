using System.CommandLine;
using System.Diagnostics;
using LeanMlirVerify.Training.Trainer;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Checking;
using Spectre.Console;

namespace LeanMlirVerify.Cli;

/// <summary>
/// The book's finite-difference checks against our backward code: prints item, check, sizes, max error, result and
/// exits 1 when any check fails (the book's script always exits 0). Called by <c>lmv check --fd</c>.
/// </summary>
static class CheckFdCommand
{
    public static int Run(string? item)
    {
        var clock = Stopwatch.StartNew();
        LibTorchRuntime.Apply(RuntimeSettings.Checking);
        IReadOnlyList<CheckResult> rows;
        try
        {
            rows = FdSuite.Run(item);
        }
        catch (KeyNotFoundException e)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]{e.Message}[/]");
            return ExitCodes.Usage;
        }
        Render(rows);
        var failed = rows.Count(r => !r.Passed);
        var seconds = clock.Elapsed.TotalSeconds;
        // one interpolated literal: MarkupLineInterpolated takes a FormattableString, which a + concatenation is not
        AnsiConsole.MarkupLineInterpolated(
            $"{rows.Count - failed}/{rows.Count} rows passed in {seconds:0.00} s in-process (TorchSharp load included, .NET start-up not).");
        return failed == 0 ? ExitCodes.Ok : ExitCodes.Failed;
    }

    /// <summary>One table row per check result; failures show the worst entry.</summary>
    public static void Render(IReadOnlyList<CheckResult> rows)
    {
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 200;
        var table = new Table().AddColumns("item", "check", "sizes", "max error", "result");
        foreach (var r in rows)
            table.AddRow(
                Markup.Escape(r.Item), Markup.Escape(r.Check), Markup.Escape(r.Sizes), r.MaxError.ToString("0.00e+00"),
                r.Passed ? "[green]pass[/]" : $"[red]FAIL[/] {Markup.Escape(r.Detail)}");
        AnsiConsole.Write(table);
    }
}
