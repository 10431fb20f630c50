using FsCheck;
using FsCheck.Fluent;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Catalog;
using LeanMlirVerify.Vjp.Checking;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace LeanMlirVerify.FiniteDifference.Vjp;

/// <summary>
/// For every catalog entry: at random sizes and random points of the entry's domain (FsCheck draws the seed), the
/// pullback and every parameter cotangent match central differences of the forward against a random dy.
/// </summary>
public class CatalogPropertyTests(ITestOutputHelper output)
{
    const int Runs = 12;

    public static TheoryData<string> Entries() => [.. RuleCatalog.All.Select(e => e.Id)];

    [Theory, MemberData(nameof(Entries))]
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
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(Runs), property);
    }

    /// <summary>One random case of an entry checked in VJP style.</summary>
    public static IReadOnlyList<CheckResult> CheckAt(RuleEntry entry, int seed)
    {
        using var scope = NewDisposeScope();
        var init = Init.Float64Cpu(seed);
        var c = entry.Build(init);
        var dy = init.Point(c.Forward(c.X).shape);
        return [.. VjpCheck.Cotangent(c, dy).Select(r => r with { Sizes = $"{r.Sizes} seed={seed}" })];
    }
}
