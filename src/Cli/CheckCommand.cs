using System.CommandLine;
using LeanMlirVerify.Calculus.Derivations;
using Spectre.Console;

namespace LeanMlirVerify.Cli;

/// <summary><c>lmv check --symbolic [--item NAME]</c>: the derivation catalog, one row per ledger item.</summary>
static class CheckCommand
{
    public static Command Create()
    {
        var symbolic = new Option<bool>("--symbolic") { Description = "Derive each Jacobian/VJP symbolically and compare with the book's closed form." };
        var fd = new Option<bool>("--fd") { Description = "Run the book's finite-difference checks against the TorchSharp backward code (float64, ε = 1e-5)." };
        var item = new Option<string?>("--item") { Description = "Only this ledger item or check (e.g. pdiv_softmax)." };
        var command = new Command("check", "Check the book's backward rules.") { symbolic, fd, item };
        command.SetAction(parse =>
        {
            bool runSymbolic = parse.GetValue(symbolic), runFd = parse.GetValue(fd);
            if (!runSymbolic && !runFd)
            {
                Console.Error.WriteLine("lmv check: choose --symbolic, --fd or both");
                return 2;
            }
            int rc = 0;
            if (runSymbolic) rc = Math.Max(rc, RunSymbolic(parse.GetValue(item)));
            if (runFd) rc = Math.Max(rc, CheckFdCommand.Run(parse.GetValue(item)));
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
            return 2;
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
        return failed == 0 ? 0 : 1;
    }
}
