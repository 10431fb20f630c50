using System.Diagnostics;
using LeanMlirVerify.Training.Comparisons;
using LeanMlirVerify.Training.Trainer;
using LeanMlirVerify.Vjp.Checking;
using LeanMlirVerify.Vjp.Checking.Mutants;
using Spectre.Console;

namespace LeanMlirVerify.Cli;

/// <summary>
/// <c>lmv check --mutants</c>: the mutation score. Every mutant of the rules (applied in memory), of the twin and of the
/// closed forms is run against the check families; prints which families killed each, the score per family and per
/// rule, and "N mutants, K killed"; exits 1 when any survives.
/// </summary>
static class CheckMutantsCommand
{
    public static int Run(string? only, bool firstKill)
    {
        var clock = Stopwatch.StartNew();
        var families = MutationRun.MutantOrder(CheckFamilies.All());
        IReadOnlyList<MutantOutcome> outcomes;
        if (only is not null)
        {
            Mutant mutant;
            try { mutant = MutantCatalog.Get(only); }
            catch (KeyNotFoundException e)
            {
                Console.Error.WriteLine($"lmv check --mutant: {e.Message}");
                return ExitCodes.Usage;
            }
            outcomes = [MutationRun.Run(mutant, families, firstKill)];
        }
        else
        {
            outcomes = MutationRun.All(families, firstKill,
                o => Console.Error.WriteLine($"lmv check: mutant {o.Id}: {Outcome(o)}"));
        }
        Render(outcomes, families);
        var killed = outcomes.Count(o => o.Killed);
        Console.WriteLine($"{outcomes.Count} mutants, {killed} killed ({Count(outcomes, MutantOutcome.RuleSubject)} of rules, "
            + $"{Count(outcomes, MutantOutcome.TwinSubject)} of the twin, {Count(outcomes, MutantOutcome.ClosedFormSubject)} closed forms; "
            + $"{clock.Elapsed.TotalSeconds:0} s)");
        return killed == outcomes.Count ? ExitCodes.Ok : ExitCodes.Failed;
    }

    static string Outcome(MutantOutcome o) => o.Killed ? "killed by " + string.Join(", ", o.KilledBy) : "SURVIVED";

    static int Count(IReadOnlyList<MutantOutcome> outcomes, string subject) => outcomes.Count(o => o.Subject == subject);

    static void Render(IReadOnlyList<MutantOutcome> outcomes, IReadOnlyList<CheckFamily> families)
    {
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 220;
        var table = new Table().Border(TableBorder.Simple).AddColumns("mutant", "of", "kind", "killed by", "description");
        foreach (var o in outcomes)
            table.AddRow(Markup.Escape(o.Id), Markup.Escape($"{o.Subject} {o.Rule}"), o.Kind,
                o.Killed ? Markup.Escape(string.Join(", ", o.KilledBy)) : "[red]SURVIVED[/]", Markup.Escape(o.Description));
        AnsiConsole.Write(table);

        var byFamily = new Table().Border(TableBorder.Simple).AddColumns("family", "killed", "reached", "survived (reached, not killed)");
        string[] names = [.. families.Select(f => f.Name)];
        foreach (var name in names.OrderBy(n => n == VjpFamilies.SymbolicName ? 1 : 0))
        {
            var reached = outcomes.Where(o => o.For(name) is Verdict.Killed or Verdict.Survived).ToList();
            var survived = reached.Where(o => o.For(name) == Verdict.Survived).Select(o => o.Id).ToList();
            byFamily.AddRow(Markup.Escape(name), reached.Count(o => o.For(name) == Verdict.Killed).ToString(), reached.Count.ToString(),
                Markup.Escape(survived.Count <= 6 ? string.Join(", ", survived)
                    : $"{string.Join(", ", survived.Take(6))} … ({survived.Count})"));
        }
        AnsiConsole.Write(byFamily);

        var rules = outcomes.GroupBy(o => (o.Subject, o.Rule)).ToList();
        static string Name((string Subject, string Rule) key) =>
            key.Subject == MutantOutcome.RuleSubject ? key.Rule : $"{key.Subject} {key.Rule}";
        Console.WriteLine("Per rule (killed/mutants): "
            + string.Join(", ", rules.Select(g => $"{Name(g.Key)} {g.Count(o => o.Killed)}/{g.Count()}")));
        var missing = MutantCatalog.RulesWithoutMutant();
        Console.WriteLine(missing.Count == 0
            ? $"Every catalog rule has a mutant ({rules.Count(g => g.Key.Subject == MutantOutcome.RuleSubject)} rules)."
            : $"Catalog rules without a mutant: {string.Join(", ", missing)}");
    }
}
