using System.Diagnostics;
using LeanMlirVerify.Training.Trainer;
using LeanMlirVerify.Vjp.Checking;
using Spectre.Console;

namespace LeanMlirVerify.Cli;

/// <summary>
/// Runs check families and prints one table — family, cases, worst error, bound, result, time — then every failing
/// case. Called by <c>lmv check</c> with no family flag (every family), and for the families a flag selects.
/// </summary>
static class CheckTable
{
    /// <summary>Runs <paramref name="families"/> in order; returns their results (printed by <see cref="Render"/>).</summary>
    public static IReadOnlyList<FamilyResult> Run(IReadOnlyList<CheckFamily> families)
    {
        var results = new List<FamilyResult>();
        foreach (var family in families)
        {
            var result = family.Run();
            Console.Error.WriteLine(
                $"lmv check: {family.Name}: {result.Rows.Count} cases, {(result.Passed ? "pass" : "FAIL")} "
                + $"({result.Elapsed.TotalSeconds:0.0} s)");
            results.Add(result);
        }
        return results;
    }

    public static int Render(IReadOnlyList<FamilyResult> results, Stopwatch clock)
    {
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 200;
        var table = new Table().Border(TableBorder.Simple).AddColumns("family", "cases", "worst error", "bound", "result", "time");
        foreach (var r in results)
        {
            var failed = r.Failures.Count;
            table.AddRow(Markup.Escape(r.Family), r.Rows.Count.ToString(), Markup.Escape(Worst(r)), Markup.Escape(r.Bound),
                r.Passed ? "[green]pass[/]" : $"[red]FAIL[/] ({failed} of {r.Rows.Count})", $"{r.Elapsed.TotalSeconds:0.0} s");
        }
        AnsiConsole.Write(table);
        foreach (var row in results.SelectMany(r => r.Failures)) Console.WriteLine($"FAILED {row}");
        var failing = results.Count(r => !r.Passed);
        var time = $"{clock.Elapsed.TotalSeconds:0.0} s";
        Console.WriteLine(failing == 0
            ? $"{results.Count} families, {results.Sum(r => r.Rows.Count)} cases: all within their bounds ({time})"
            : $"{results.Count} families: {failing} failed ({time})");
        return failing == 0 ? ExitCodes.Ok : ExitCodes.Failed;
    }

    /// <summary>The worst error, with the case it comes from where bounds differ by case.</summary>
    static string Worst(FamilyResult r)
    {
        if (r.WorstRow is not { } row) return "—";
        if (row.Bound == 0 && row.Error == 0) return "0 (exact)";
        var value = double.IsNaN(row.Error) ? "NaN" : row.Error.ToString("0.00e+00");
        return r.Rows.Select(x => x.Bound).Distinct().Count() > 1 ? $"{value} ({row.Case})" : value;
    }
}
