using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Catalog;
using LeanMlirVerify.Vjp.Checking.Mutants;
using LeanMlirVerify.Vjp.Rules;
using static TorchSharp.torch;

namespace LeanMlirVerify.FiniteDifference.Vjp.Rules;

/// <summary>
/// BN's strategies (principle 7): each member but Auto is forced by a catalog entry (so the property, FD and oracle
/// suites run it) and has a mutant; Auto resolves to the fused form, and both forms give the same step.
/// </summary>
public class BnStrategyTests
{
    static readonly BnStrategy[] Forced = [.. Enum.GetValues<BnStrategy>().Where(s => s != BnStrategy.Auto)];

    [Fact]
    public void EveryForcedStrategy_HasACatalogEntry() =>
        Assert.All(Forced, s => Assert.Contains($"batchnorm-{BnStrategies.Name(s)}", RuleCatalog.All.Select(e => e.Id)));

    [Fact]
    public void TheFusedStrategy_HasMutants() =>
        Assert.Contains(MutantCatalog.All, m => m.Rule == "batchnorm-fused");

    [Fact]
    public void Auto_IsTheFusedForm() => Assert.Equal(BnStrategy.Fused, BnStrategies.Resolve(BnStrategy.Auto));

    [Theory]
    [InlineData(2, 3, 4, 5)]
    [InlineData(1, 1, 3, 2)]
    public void FusedAndComposed_GiveTheSameStepToRounding(long b, long c, long h, long w)
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(5);
        var (gamma, beta) = (randn([c], ScalarType.Float64, generator: gen), randn([c], ScalarType.Float64, generator: gen));
        var x = randn([b, c, h, w], ScalarType.Float64, generator: gen).mul_(randn([1, c, 1, 1], ScalarType.Float64, generator: gen));
        var dy = randn([b, c, h, w], ScalarType.Float64, generator: gen);
        var results = new[] { BnStrategy.Composed, BnStrategy.Fused }.Select(s =>
        {
            var bn = new BatchNorm(gamma.clone(), beta.clone(), strategy: s);
            var (y, pullback) = bn.Forward(new Tensor3(x));
            var dx = pullback(new Tensor3(dy)).T;
            return (y.T, dx, bn.Affine.Gamma.Grad, bn.Affine.Beta.Grad, bn.Normalize.RunningMean!, bn.Normalize.RunningVar!);
        }).ToArray();
        var (p, q) = (results[0], results[1]);
        foreach (var (u, v) in new[] { (p.Item1, q.Item1), (p.dx, q.dx), (p.Item3, q.Item3), (p.Item4, q.Item4), (p.Item5, q.Item5),
                     (p.Item6, q.Item6) })
            Assert.True(u.allclose(v, rtol: 1e-12, atol: 1e-12), $"{u} vs {v}");
    }
}
