using LeanMlirVerify.Calculus.Derivations;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Catalog;
using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.Checking;

/// <summary>
/// The check families that need no autograd: exact symbolic derivation (<c>src/Calculus</c>), the book's 25 FD checks,
/// FD at stated configurations, and FD properties of every catalog entry at random shapes. The oracle families
/// (per-rule autograd, differential) are in <c>src/Training/Comparisons</c>, which can see the twin.
/// </summary>
public static class VjpFamilies
{
    public const string SymbolicName = "symbolic", BookName = "book FD", ConfigurationsName = "FD configurations",
        PropertyName = "FD property";

    /// <summary>Seeds per catalog entry in a full run: three for the small rules, one for the blocks (their runs are few).</summary>
    public static int FullRunSeeds(RuleEntry entry) => entry.Runs >= 10 ? 3 : 1;

    /// <summary>Seeds for one entry in a mutant's scope: all of its runs.</summary>
    public static int MutantSeeds(RuleEntry entry) => entry.Runs >= 10 ? 8 : Math.Max(2, entry.Runs);

    /// <summary>The k-th seed of an entry: fixed, so every run checks the same cases.</summary>
    public static int Seed(string id, int k) => 7919 * (k + 1) + id.Sum(ch => ch * 31);

    public static CheckFamily Symbolic { get; } = new(SymbolicName, "exact (canonical or 45 digits)",
        "each Jacobian/VJP differentiated symbolically against the book's closed form; wrong closed forms rejected",
        scope => scope.ForMutant
            ? []
            : SymbolicSuite.Run().Select(r => new CheckRow(SymbolicName, r.Item, r.Item, 0, 0, !r.Failed,
                r.Failed ? $"{r.Result}: {r.Detail}" : r.Result)));

    public static CheckFamily Book { get; } = new(BookName, $"{FiniteDifference.Tolerance:0e0} absolute",
        "the book's 25 float64 finite-difference checks, with the book's names and sizes", BookRows);

    public static CheckFamily Configurations { get; } = new(ConfigurationsName, $"{FiniteDifference.Tolerance:0e0} · max(1, |FD|)",
        "FD at batch > 1, stride 2, even kernels and padded odd sizes, label smoothing, every γ/β, attention, blocks",
        scope => FdConfigurations.Run(scope, ConfigurationsName));

    public static CheckFamily Property { get; } = new(PropertyName, $"{FiniteDifference.Tolerance:0e0} · max(1, |FD|)",
        "FD of every catalog entry at random shapes and points of its domain (fixed seeds)", PropertyRows);

    public static IReadOnlyList<CheckFamily> All { get; } = [Symbolic, Book, Configurations, Property];

    static IEnumerable<CheckRow> BookRows(CheckScope scope)
    {
        foreach (var check in BookChecks.All)
        {
            var row = CheckRow.Guard(BookName, $"{check.Number} {check.Name}", check.Item, () =>
            {
                using var dispose = NewDisposeScope();
                return FdConfigurations.Summarize(BookName, $"{check.Number} {check.Name}", check.Item, check.Run());
            });
            yield return row!;
        }
    }

    static IEnumerable<CheckRow> PropertyRows(CheckScope scope)
    {
        IEnumerable<RuleEntry> entries = scope.Rule is null ? RuleCatalog.All : [RuleCatalog.Get(scope.Rule)];
        foreach (var entry in entries)
        {
            var seeds = scope.Rule is null ? FullRunSeeds(entry) : MutantSeeds(entry);
            for (var k = 0; k < seeds; k++)
            {
                var seed = Seed(entry.Id, k);
                var init = Init.Float64Cpu(seed);
                var row = FdConfigurations.Check(PropertyName, $"{entry.Id} seed {seed}", entry.Id, init, entry.Build, scope);
                if (row is not null) yield return row;
            }
        }
    }
}
