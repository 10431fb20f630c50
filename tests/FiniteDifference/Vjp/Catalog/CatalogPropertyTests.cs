using FsCheck;
using FsCheck.Fluent;
using LeanMlirVerify.Testing;
using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Catalog;
using LeanMlirVerify.Vjp.Checking;
using LeanMlirVerify.Vjp.GradChecks;

namespace LeanMlirVerify.FiniteDifference.Vjp.Catalog;

/// <summary>
/// For every catalog entry: at random sizes and random points of the entry's domain (FsCheck draws the seed), the
/// pullback and every parameter cotangent match central differences of the forward against a random dy, to
/// 1e-7 + 1e-7 · max(|FD|, size of the terms of ⟨dy, f⟩) per entry (GradCheck in one-cotangent mode). Its property
/// evidence in the ledger is read from the entries (<see cref="CheckedItems"/>).
/// </summary>
public class CatalogPropertyTests
{
    public static TheoryData<string> Entries() => [.. RuleCatalog.All.Select(e => e.Id)];

    /// <summary>The ledger items this theory checks: every entry's item and its parameters' cotangent items.</summary>
    public static IEnumerable<string> CheckedItems() => RuleCatalog.All.SelectMany(e => e.CheckedItems());

    [Theory, MemberData(nameof(Entries)), EvidenceFrom(EvidenceKind.Property, nameof(CheckedItems))]
    public void Rule_PullbackMatchesCentralDifferenceAtRandomShapes(string id)
    {
        var entry = RuleCatalog.Get(id);
        // A fixed replay seed per entry: the same cases every run (no flaky kink hits), still FsCheck-driven.
        var replay = (ulong)id.Sum(ch => ch * 31L);
        GradAssert.GradientsMatchForAll(Gen.Choose(0, int.MaxValue), seed => CheckAt(entry, seed), entry.Runs, replay);
    }

    /// <summary>
    /// One random case of an entry: dx and every parameter cotangent against the FD gradient of ⟨f, dy⟩ for a random dy,
    /// by GradCheck in one-cotangent mode under the book's relative policy (the FD property family's bound).
    /// </summary>
    public static GradCheckResult CheckAt(RuleEntry entry, int seed)
    {
        var init = Init.Float64Cpu(seed);
        var c = entry.Build(init);
        var dy = init.Point(c.Forward(c.X).shape);
        return GradCheck.Rule(c, VjpCheck.BookPolicy(relative: true) with { Mode = GradCheckMode.Cotangent(dy) });
    }
}
