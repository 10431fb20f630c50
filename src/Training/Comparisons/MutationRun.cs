using LeanMlirVerify.Calculus.Derivations;
using LeanMlirVerify.Vjp.Checking;
using LeanMlirVerify.Vjp.Checking.Mutants;

namespace LeanMlirVerify.Training.Comparisons;

/// <summary>What one family did to one mutant: killed it (a case failed), let it survive, or never reached it.</summary>
public enum Verdict { Killed, Survived, NotReached, NotRun }

public sealed record FamilyVerdict(string Family, Verdict Verdict, string Detail = "");

/// <summary>
/// One mutant's outcome: what it mutates (<see cref="Subject"/>: a rule of <c>src/Vjp</c>, a twin op, a closed form of
/// <c>src/Calculus</c>), and each family's verdict. Killed when any family killed it.
/// </summary>
public sealed record MutantOutcome(string Id, string Rule, string Subject, string Kind, string Description,
    IReadOnlyList<FamilyVerdict> Families)
{
    public const string RuleSubject = "rule", TwinSubject = "twin", ClosedFormSubject = "closed form";

    public bool Killed => Families.Any(f => f.Verdict == Verdict.Killed);

    public IReadOnlyList<string> KilledBy => [.. Families.Where(f => f.Verdict == Verdict.Killed).Select(f => f.Family)];

    public Verdict For(string family) => Families.FirstOrDefault(f => f.Family == family)?.Verdict ?? Verdict.NotRun;
}

/// <summary>
/// The mutation score: every mutant of the rules (<see cref="MutantCatalog"/>), of the twin (<see cref="TwinMutants"/>) and
/// of the closed forms (the derivation catalog's wrong forms), each run against the check families.
/// </summary>
public static class MutationRun
{
    /// <summary>
    /// A rule mutant against <paramref name="families"/>: each family runs the cases the mutant reaches (its property checks
    /// on the mutant's own catalog entry) and stops at its first failure. With <paramref name="firstKill"/> the families
    /// after the first that kills are not run.
    /// </summary>
    public static MutantOutcome Run(Mutant mutant, IReadOnlyList<CheckFamily> families, bool firstKill = false)
    {
        var verdicts = new List<FamilyVerdict>();
        foreach (var family in families)
        {
            if (firstKill && verdicts.Any(v => v.Verdict == Verdict.Killed))
            {
                verdicts.Add(new(family.Name, Verdict.NotRun));
                continue;
            }
            verdicts.Add(Judge(mutant.Run(family)));
        }
        return new(mutant.Id, mutant.Rule, MutantOutcome.RuleSubject, mutant.Kind.ToString(), mutant.Description, verdicts);
    }

    /// <summary>A twin mutant: the per-rule oracle with the wrong op in place of the twin's.</summary>
    public static MutantOutcome Run(TwinMutant mutant)
    {
        var family = OracleFamilies.RuleOracle(mutant.Apply(TwinSet.Default));
        var verdict = Judge(family.Run(new CheckScope { StopAtFirstFailure = true }));
        return new(mutant.Id, mutant.Op, MutantOutcome.TwinSubject, "WrongTwin", mutant.Description, [verdict]);
    }

    /// <summary>A wrong closed form of the derivation catalog: killed when the symbolic check rejects it.</summary>
    public static MutantOutcome Run(Derivation wrongForm)
    {
        var row = SymbolicSuite.RunOne(wrongForm);
        var verdict = new FamilyVerdict(VjpFamilies.SymbolicName, row.Failed ? Verdict.Survived : Verdict.Killed, row.Result);
        return new(wrongForm.Name, wrongForm.Item, MutantOutcome.ClosedFormSubject, "WrongClosedForm", wrongForm.ClosedForm, [verdict]);
    }

    /// <summary>
    /// Every mutant in catalog order: the rule mutants (against <paramref name="families"/>), the twin mutants, the wrong
    /// closed forms; <paramref name="progress"/> sees each outcome as it comes.
    /// </summary>
    public static IReadOnlyList<MutantOutcome> All(IReadOnlyList<CheckFamily> families, bool firstKill = false,
        Action<MutantOutcome>? progress = null)
    {
        var outcomes = new List<MutantOutcome>();
        void Add(MutantOutcome o)
        {
            outcomes.Add(o);
            progress?.Invoke(o);
        }
        foreach (var m in MutantCatalog.All) Add(Run(m, families, firstKill));
        foreach (var t in TwinMutants.All) Add(Run(t));
        foreach (var d in DerivationCatalog.Negatives) Add(Run(d));
        return outcomes;
    }

    /// <summary>Mutation families first to last: the cheapest that can kill a rule mutant first (for a first-kill run).</summary>
    public static IReadOnlyList<CheckFamily> MutantOrder(IReadOnlyList<CheckFamily> families)
    {
        string[] order = [VjpFamilies.PropertyName, VjpFamilies.ConfigurationsName, VjpFamilies.BookName, OracleFamilies.RuleOracleName,
            OracleFamilies.DifferentialName, VjpFamilies.SymbolicName];
        return [.. families.OrderBy(f => Array.IndexOf(order, f.Name) is var i && i < 0 ? order.Length : i)];
    }

    static FamilyVerdict Judge(FamilyResult result) =>
        !result.Reached ? new(result.Family, Verdict.NotReached)
        : result.Passed ? new(result.Family, Verdict.Survived)
        : new(result.Family, Verdict.Killed, result.Failures[0] is var f ? $"{f.Case}: {f.Detail}" : "");
}
