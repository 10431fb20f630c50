using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Catalog;
using LeanMlirVerify.Vjp.Checking.Mutants;
using LeanMlirVerify.Vjp.Rules;
using static TorchSharp.torch;

namespace LeanMlirVerify.FiniteDifference.Vjp.Rules;

/// <summary>
/// ReLU's and ReLU6's <see cref="KernelStrategy"/> and max pool's <see cref="KernelStrategy"/> (principle 7): a
/// catalog entry and a mutant for every forced member; Auto on the activations' native kernels and on the pool's own
/// scatter; the same dx from every member (bit for bit at the activations' kinks; to rounding where pool windows overlap).
/// </summary>
public class KernelStrategyTests
{
    static IEnumerable<string> ForcedIds() =>
        Strategies.Forced<KernelStrategy>()
            .SelectMany(s => new[] { $"relu-{KernelStrategies.Name(s)}", $"relu6-{KernelStrategies.Name(s)}" })
            .Concat(Strategies.Forced<KernelStrategy>().Select(s => $"maxpool-{KernelStrategies.Name(s)}"));

    [Fact]
    public void EveryForcedStrategy_HasACatalogEntry() =>
        Assert.All(ForcedIds(), id => Assert.Contains(id, RuleCatalog.All.Select(e => e.Id)));

    [Fact]
    public void EveryForcedStrategy_HasAMutant() =>
        Assert.All(ForcedIds(), id => Assert.Contains(MutantCatalog.All, m => m.Rule == id));

    [Fact]
    public void Auto_IsTheNativeKernelForReluAndReluSixAndTheScatterForMaxPool()
    {
        Assert.Equal(KernelStrategy.Native, KernelStrategies.Resolve(KernelStrategy.Auto, hasNative: true, "relu"));
        Assert.Equal(KernelStrategy.Composed, MaxPools.Resolve(KernelStrategy.Auto));
        Assert.Equal("relu", Activations.Relu<Vec>().Label);
        Assert.Equal("relu6 [composed]", Activations.Relu6<Vec>(KernelStrategy.Composed).Label);
        Assert.Equal("maxpool 3/2 [composed]", new MaxPool(3, 2, KernelStrategy.Composed).Label);
    }

    [Fact]
    public void Auto_IsTheMaskForARuleWithoutAKernel() =>
        Assert.Equal(KernelStrategy.Composed, KernelStrategies.Resolve(KernelStrategy.Auto, hasNative: false, "sigmoid"));

    [Fact]
    public void NativeForcedOnARuleWithoutAKernel_IsRefusedNamingTheRule()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            new Elementwise<Vec>("pdiv", "sigmoid", x => x.sigmoid(), (_, y) => y * y.RSub(1), strategy: KernelStrategy.Native));
        Assert.StartsWith("sigmoid: strategy native forced", ex.Message);
    }

    static double[] Dx(HasVjp<Tensor3, Tensor3> rule, Tensor x, Tensor dy) =>
        rule.Forward(new Tensor3(x)).pullback(new Tensor3(dy)).T.to_type(ScalarType.Float64).contiguous().data<double>().ToArray();

    [Theory]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.Float32)]
    public void MaskAndNative_GiveTheSameDxBitForBitAtTheKinks(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(11);
        // Integers from −2 to 7: x = 0 and x = 6 (the kinks) occur many times.
        var x = randint(-2, 8, [2, 3, 5, 4], ScalarType.Float64, generator: gen).to_type(dtype);
        var dy = randn([2, 3, 5, 4], ScalarType.Float64, generator: gen).to_type(dtype);
        Assert.Equal(Dx(Activations.Relu<Tensor3>(KernelStrategy.Composed), x, dy),
            Dx(Activations.Relu<Tensor3>(KernelStrategy.Native), x, dy));
        Assert.Equal(Dx(Activations.Relu6<Tensor3>(KernelStrategy.Composed), x, dy),
            Dx(Activations.Relu6<Tensor3>(KernelStrategy.Native), x, dy));
    }

    [Theory]
    [InlineData(2, 2, 7)]
    [InlineData(3, 2, 6)]
    [InlineData(3, 1, 5)]
    public void ScatterAndNative_GiveTheSameDxToRoundingWithTiedWindows(long size, long stride, long h)
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(12);
        var x = randint(0, 3, [2, 3, h, h], ScalarType.Float64, generator: gen);
        long o = (h + stride - 1) / stride;
        var dy = randn([2, 3, o, o], ScalarType.Float64, generator: gen);
        var scatter = Dx(new MaxPool(size, stride, KernelStrategy.Composed), x, dy);
        var native = Dx(new MaxPool(size, stride, KernelStrategy.Native), x, dy);
        // Overlapping windows (size > stride) add up to size² entries; the two kernels may add them in another order.
        Assert.All(scatter.Zip(native), p => Assert.True(Math.Abs(p.First - p.Second) <= 1e-12 * Math.Max(1, Math.Abs(p.First)), $"{p}"));
    }
}
