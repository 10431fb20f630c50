using FsCheck;
using FsCheck.Fluent;
using LeanMlirVerify.Calculus.Ledger;
using Microsoft.FSharp.Core;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Catalog;
using LeanMlirVerify.Vjp.Checking;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace LeanMlirVerify.FiniteDifference.Vjp.Catalog;

/// <summary>
/// For every catalog entry: at random sizes and random points of the entry's domain (FsCheck draws the seed), the
/// pullback and every parameter cotangent match central differences of the forward against a random dy, to
/// 1e-7 + 1e-7 · max(|FD|, size of the terms of ⟨dy, f⟩) per entry (GradCheck in one-cotangent mode). Its property
/// evidence in the ledger is read from the entries (<see cref="CheckedItems"/>).
/// </summary>
public class CatalogPropertyTests(ITestOutputHelper output)
{
    public static TheoryData<string> Entries() => [.. RuleCatalog.All.Select(e => e.Id)];

    /// <summary>The ledger items this theory checks: every entry's item and its parameters' cotangent items.</summary>
    public static IEnumerable<string> CheckedItems() => RuleCatalog.All.SelectMany(e => e.CheckedItems());

    [Theory, MemberData(nameof(Entries)), EvidenceFrom(EvidenceKind.Property, nameof(CheckedItems))]
    public void Rule_PullbackMatchesCentralDifferenceAtRandomShapes(string id)
    {
        var entry = RuleCatalog.Get(id);
        var property = Prop.ForAll(Arb.From(Gen.Choose(0, int.MaxValue)), seed =>
        {
            var rows = CheckAt(entry, seed);
            var failed = rows.Where(r => !r.Passed).ToList();
            if (failed.Count > 0) output.WriteLine($"seed {seed}: {string.Join("; ", failed)}");
            return failed.Count == 0;
        });
        // A fixed replay seed per entry: the same cases every run (no flaky kink hits), still FsCheck-driven.
        var replay = FSharpOption<Replay>.Some(new Replay(new Rnd((ulong)id.Sum(ch => ch * 31L)), null));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(entry.Runs).WithReplay(replay), property);
    }

    /// <summary>One random case of an entry checked in VJP style.</summary>
    public static IReadOnlyList<CheckResult> CheckAt(RuleEntry entry, int seed)
    {
        using var scope = NewDisposeScope();
        var init = Init.Float64Cpu(seed);
        var c = entry.Build(init);
        var dy = init.Point(c.Forward(c.X).shape);
        return [.. VjpCheck.Cotangent(c, dy, relative: true).Select(r => r with { Sizes = $"{r.Sizes} seed={seed}" })];
    }
}
