using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Catalog;
using LeanMlirVerify.Vjp.Checking.Mutants;
using LeanMlirVerify.Vjp.Rules;
using static TorchSharp.torch;

namespace LeanMlirVerify.FiniteDifference.Vjp.Rules;

/// <summary>
/// BN's strategies (principle 7): each member but Auto is forced by a catalog entry (so the property, FD and oracle
/// suites run it) and has a mutant; Auto resolves to libtorch's native kernel, and every form gives the same step.
/// </summary>
public class BnStrategyTests
{
    static readonly BnStrategy[] Forced = [.. Enum.GetValues<BnStrategy>().Where(s => s != BnStrategy.Auto)];

    [Fact]
    public void EveryForcedStrategy_HasACatalogEntry() =>
        Assert.All(Forced, s => Assert.Contains($"batchnorm-{BnStrategies.Name(s)}", RuleCatalog.All.Select(e => e.Id)));

    [Fact]
    public void EveryForcedStrategy_HasAMutant() =>
        Assert.All(Forced, s => Assert.Contains(MutantCatalog.All, m => m.Rule == $"batchnorm-{BnStrategies.Name(s)}"));

    [Fact]
    public void Auto_IsTheNativeKernel() => Assert.Equal(BnStrategy.Native, BnStrategies.Resolve(BnStrategy.Auto));

    /// <summary>y, dx, dγ, dβ and the running mean and variance after <paramref name="steps"/> training steps on x.</summary>
    static Tensor[] Step(BnStrategy strategy, Tensor gamma, Tensor beta, Tensor x, Tensor dy, int steps = 1)
    {
        var bn = new BatchNorm(gamma.clone(), beta.clone(), strategy: strategy);
        Tensor y = null!, dx = null!;
        for (int i = 0; i < steps; i++)
        {
            bn.Affine.Gamma.ZeroGrad();
            bn.Affine.Beta.ZeroGrad();
            var (yi, pullback) = bn.Forward(new Tensor3(x.Mul(i + 1)));
            (y, dx) = (yi.T, pullback(new Tensor3(dy)).T);
        }
        return [y, dx, bn.Affine.Gamma.Grad, bn.Affine.Beta.Grad, bn.Normalize.RunningMean!, bn.Normalize.RunningVar!];
    }

    static readonly string[] StepParts = ["y", "dx", "dγ", "dβ", "running mean", "running variance"];

    static void AssertSameStep(BnStrategy expected, BnStrategy actual, Tensor[] e, Tensor[] a, double rtol, double atol)
    {
        for (int i = 0; i < e.Length; i++)
            Assert.True(a[i].allclose(e[i], rtol: rtol, atol: atol),
                $"{StepParts[i]}: {BnStrategies.Name(actual)} differs from {BnStrategies.Name(expected)} by " +
                $"{(a[i] - e[i]).abs().max().to_type(ScalarType.Float64).item<double>():E2}");
    }

    [Theory]
    [InlineData(2, 3, 4, 5)]
    [InlineData(1, 1, 3, 2)]
    public void EveryStrategy_GivesTheComposedStepToRounding(long b, long c, long h, long w)
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(5);
        var (gamma, beta) = (randn([c], ScalarType.Float64, generator: gen), randn([c], ScalarType.Float64, generator: gen));
        var x = randn([b, c, h, w], ScalarType.Float64, generator: gen).mul_(randn([1, c, 1, 1], ScalarType.Float64, generator: gen));
        var dy = randn([b, c, h, w], ScalarType.Float64, generator: gen);
        // Two steps: the first copies the batch statistics, the second runs the running averages.
        var composed = Step(BnStrategy.Composed, gamma, beta, x, dy, steps: 2);
        foreach (var s in Forced.Where(s => s != BnStrategy.Composed))
            AssertSameStep(BnStrategy.Composed, s, composed, Step(s, gamma, beta, x, dy, steps: 2), 1e-12, 1e-12);
    }

    // float32, the precision training runs in, with one channel nearly constant (σ² ≈ 1e-8 ≪ ε), where the native form's
    // variance, recovered from 1/√(σ² + ε), is least accurate relative to σ²: its error stays a few float32 ulp of σ² + ε,
    // which is all that evaluation reads, so the bound on the running variance is relative to σ² + ε (atol 1e-5·ε·…).
    [Fact]
    public void NativeAndFused_GiveTheSameStepToFloat32Rounding()
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(11);
        var (gamma, beta) = (randn([3], ScalarType.Float32, generator: gen), randn([3], ScalarType.Float32, generator: gen));
        var spread = tensor(new float[] { 1f, 3f, 1e-4f }).view(1, -1, 1, 1);
        var x = randn([4, 3, 6, 5], ScalarType.Float32, generator: gen).mul_(spread)
            .AddInPlace(tensor(new float[] { 0.5f, -2f, 1f }).view(1, -1, 1, 1));
        var dy = randn([4, 3, 6, 5], ScalarType.Float32, generator: gen);
        var fused = Step(BnStrategy.Fused, gamma, beta, x, dy, steps: 2);
        var native = Step(BnStrategy.Native, gamma, beta, x, dy, steps: 2);
        // dx of the nearly constant channel is s·(…) with s ≈ 316: its float32 rounding is ~316 times dy's.
        AssertSameStep(BnStrategy.Fused, BnStrategy.Native, fused[..4], native[..4], 1e-4, 1e-3);
        AssertSameStep(BnStrategy.Fused, BnStrategy.Native, fused[4..], native[4..], 1e-5, 1e-5 * BnNormalize.Epsilon);
    }

    // ---- negative case: a strategy whose running variance is the unbiased one must be reported, naming the part ----
    [Fact]
    public void UnbiasedRunningVariance_IsReportedDiffering()
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(5);
        var (gamma, beta) = (randn([3], ScalarType.Float64, generator: gen), randn([3], ScalarType.Float64, generator: gen));
        var (x, dy) = (randn([2, 3, 4, 5], ScalarType.Float64, generator: gen), randn([2, 3, 4, 5], ScalarType.Float64, generator: gen));
        var composed = Step(BnStrategy.Composed, gamma, beta, x, dy);
        var unbiased = Step(BnStrategy.Native, gamma, beta, x, dy);
        unbiased[5] = unbiased[5].Mul(40.0 / 39);
        var ex = Assert.Throws<Xunit.Sdk.TrueException>(() =>
            AssertSameStep(BnStrategy.Composed, BnStrategy.Native, composed, unbiased, 1e-12, 1e-12));
        Assert.Contains("running variance: native differs from composed", ex.Message);
    }
}
