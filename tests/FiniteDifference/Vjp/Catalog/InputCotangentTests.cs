using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Catalog;
using LeanMlirVerify.Vjp.Checking;
using static TorchSharp.torch;

namespace LeanMlirVerify.FiniteDifference.Vjp.Catalog;

/// <summary>
/// Consistency check, not evidence for the formula (the ledger lists it as kind consistency for every parameter
/// cotangent item it covers). A forward told its input is data (<c>Forward(x, inputCotangent: false)</c>, as a network's first layer is in
/// training) must skip only dx: for every catalog entry its pullback returns no dx and leaves every parameter gradient
/// bit-identical to the full pullback's. The negative case is a rule whose skip path drops its weight cotangent.
/// </summary>
public class InputCotangentTests
{
    public static TheoryData<string> Entries() => [.. RuleCatalog.All.Select(e => e.Id)];

    /// <summary>Per parameter, the largest |gradient with dx − gradient without dx|; also whether the skip path returned no dx.</summary>
    static (bool NoDx, IReadOnlyList<(string Name, double Difference)> Rows) Compare(CheckCase c, Tensor dy)
    {
        foreach (var p in c.Parameters) p.ZeroGrad();
        _ = c.Pullback(c.X, dy);
        var full = c.Parameters.Select(p => p.Grad.clone()).ToList();
        foreach (var p in c.Parameters) p.ZeroGrad();
        var noDx = c.ParameterPullback(c.X, dy);
        var rows = c.Parameters.Select((p, i) => (p.Name, (p.Grad - full[i]).abs().max().item<double>())).ToList();
        return (noDx, rows);
    }

    /// <summary>The parameter cotangent items of every catalog entry: what this consistency check compares with itself.</summary>
    public static IEnumerable<string> ParameterItems()
    {
        using var scope = NewDisposeScope();
        return [.. RuleCatalog.All.SelectMany(e => e.Build(Init.Float64Cpu(1)).Parameters.Select(p => p.Item)).Distinct()];
    }

    [Theory, MemberData(nameof(Entries)), EvidenceFrom(EvidenceKind.Consistency, nameof(ParameterItems))]
    public void Consistency_SkippingDxLeavesEveryParameterCotangentIdentical(string id)
    {
        for (var seed = 0; seed < 3; seed++)
        {
            using var scope = NewDisposeScope();
            var init = Init.Float64Cpu(seed);
            var c = RuleCatalog.Get(id).Build(init);
            var (noDx, rows) = Compare(c, init.Point(c.Forward(c.X).shape));
            Assert.True(noDx, $"{id} seed {seed}: the pullback of a forward without input cotangent returned a dx");
            foreach (var (name, difference) in rows)
                Assert.True(difference == 0, $"{id} seed {seed} ({c.Sizes}): ∂{name} differs by {difference:G3} when dx is skipped");
        }
    }

    [Fact]
    public void TheSkipCheck_CoversAtLeastTenRulesWithParameters()
    {
        using var scope = NewDisposeScope();
        Assert.True(RuleCatalog.All.Count(e => e.Build(Init.Float64Cpu(1)).Parameters.Count > 0) >= 10);
    }

    [Fact]
    public void ARuleWhoseSkipPathDropsItsWeightCotangent_IsReportedNamingTheTensor()
    {
        using var scope = NewDisposeScope();
        var init = Init.Float64Cpu(3);
        var c = CheckCase.Of(new SkipDropsWeight(init.Point(4, 3)), init.Point(2, 4));
        var (noDx, rows) = Compare(c, init.Point(2, 3));
        Assert.True(noDx);
        var (name, difference) = Assert.Single(rows);
        Assert.Equal("mutant.W", name);
        Assert.True(difference > 0.01, $"the dropped weight cotangent went unnoticed ({difference:G3})");
    }

    /// <summary>y = x·W whose pullback adds xᵀ·dy only when dx is asked for: the bug a skip path could bring.</summary>
    sealed class SkipDropsWeight : HasVjp<Vec, Vec>
    {
        readonly Parameter w;

        public SkipDropsWeight(Tensor weight) : base(ItemId.dense_has_vjp, "mutant") =>
            w = Own(new Parameter("mutant.W", ItemId.dense_weight_grad_correct, weight));

        protected override (Vec y, Pullback<Vec, Vec> pullback) Run(Vec x) => Run(x, inputCotangent: true);

        protected override (Vec y, Pullback<Vec, Vec> pullback) Run(Vec x, bool inputCotangent) =>
            (new Vec(matmul(x.T, w.Value)), dy =>
            {
                if (!inputCotangent) return default;
                w.Accumulate(matmul(x.T.t(), dy.T), Culprit);
                return new Vec(matmul(dy.T, w.Value.t()));
            });
    }
}
