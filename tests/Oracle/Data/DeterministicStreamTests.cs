using System.Security.Cryptography;
using LeanMlirVerify.Training.Data;
using LeanMlirVerify.Training.Optim;
using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Training.Trainer;
using LeanMlirVerify.Vjp.Algebra;

namespace LeanMlirVerify.Oracle.Data;

/// <summary>The original's init, shuffle, augmentation and schedule streams against the golden values of training facts §3.3,
/// §4.</summary>
public class DeterministicStreamTests
{
    [Fact]
    public void HeInit_MnistMlp_FirstValuesMatchTheOriginal()
    {
        var t = InitialValues.Tensors(PartOneSpecs.MnistMlp);
        Assert.Equal([-0.07572342f, 0.06341256f, -0.00843616f, -0.12413232f], t[0].Values[..4], Float6);
        Assert.Equal([0.00848543f, 0.08582408f, -0.00521147f], t[2].Values[..3], Float6);
        Assert.Equal([-0.04963955f, -0.0908595f, 0.00043317f], t[4].Values[..3], Float6);
        Assert.All(new[] { t[1], t[3], t[5] }, b => Assert.All(b.Values, v => Assert.Equal(0f, v)));
    }

    static readonly IEqualityComparer<float> Float6 = EqualityComparer<float>.Create(
        (a, b) => Math.Abs(a - b) <= 5e-9f + 1e-7f * Math.Abs(a), v => 0);

    [Fact]
    public void HeInit_MnistMlp_WholeBufferHasTheOriginalsSha256()
    {
        var flat = InitialValues.Flat(PartOneSpecs.MnistMlp);
        Assert.Equal(669_706, flat.Length);
        var bytes = new byte[flat.Length * 4];
        Buffer.BlockCopy(flat, 0, bytes, 0, bytes.Length); // little-endian float32, as traces/mnist_mlp.init.bin
        Assert.Equal("478e27f1c3d201eebe295c680f720720ef9590e61f92459f257363d1b805604d", Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    [Fact]
    public void HeInit_WithAnotherSeedOrder_DoesNotMatchTheOriginal()
    {
        // Negative case: drawing W2 from seed 42 (a counter per layer instead of per tensor) changes the first value.
        var w2 = ParamTensors.Of(PartOneSpecs.MnistMlp)[2];
        Assert.NotEqual(0.00848543f, InitialValues.Values(w2, 42)[0], Float6);
        Assert.Equal(0.00848543f, InitialValues.Values(w2, 43)[0], Float6);
    }

    [Fact]
    public void HeInit_SeedsCountKernelsAndPositionsOnly()
    {
        var vit = InitialValues.Tensors(PartOneSpecs.VitTiny);
        var pos = vit.Single(t => t.Tensor.Name == "L0.pos");
        Assert.Equal(InitialValues.Values(pos.Tensor, 43), pos.Values); // patch kernel 42, positions 43 (bias and CLS draw none)
        Assert.All(vit.Single(t => t.Tensor.Name == "L1.B0.ln1.gamma").Values, v => Assert.Equal(1f, v));
        var bn = InitialValues.Tensors(PartOneSpecs.MnistCnnBn);
        Assert.All(bn.Single(t => t.Tensor.Name == "L0.gamma").Values, v => Assert.Equal(1f, v));
        Assert.Equal(
            InitialValues.Values(bn.Single(t => t.Tensor.Name == "L3.W").Tensor, 44), bn.Single(t => t.Tensor.Name == "L3.W").Values);
    }

    [Fact]
    public void HeInit_IsBoundedAndHasTheStatedVariance()
    {
        var v = Init.HeValues(200_000, 50, 7);
        double scale = Math.Sqrt(2.0 / 50), mean = v.Average(x => (double)x), variance = v.Average(x => (double)x * x) - mean * mean;
        Assert.All(v, x => Assert.InRange(x, -3 * scale, 3 * scale));
        Assert.InRange(mean, -0.01 * scale, 0.01 * scale);
        Assert.InRange(variance / (scale * scale), 0.98, 1.02);
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(1UL << 24)]
    [InlineData((1UL << 24) + 1)]
    [InlineData((1UL << 25) + 3)]
    [InlineData(0x8000_0080_0000_0000UL)]
    [InlineData(0x8000_0180_0000_0000UL)]
    [InlineData(ulong.MaxValue)]
    public void UInt64ToFloat_RoundsOnceToNearestEven(ulong v)
    {
        float f = Init.ToFloat(v);
        decimal exact = v, got = (decimal)(double)f;
        decimal up = (decimal)(double)MathF.BitIncrement(f), down = (decimal)(double)MathF.BitDecrement(f);
        Assert.True(Math.Abs(got - exact) <= Math.Abs(up - exact) && Math.Abs(got - exact) <= Math.Abs(down - exact), $"{v} → {f}");
    }

    [Fact]
    public void Shuffle_Mnist_EpochsZeroAndOneGiveTheOriginalsPositions()
    {
        var order = Shuffle.Identity(60_000);
        Shuffle.Epoch(order, 0);
        Assert.Equal([55541, 31227, 19060, 52320, 23455], order[..5]);
        Shuffle.Epoch(order, 1);
        Assert.Equal([24677, 55850, 35593, 1460, 27677], order[..5]);
        Assert.Equal(Enumerable.Range(0, 60_000), order.Order());
    }

    [Fact]
    public void Shuffle_FromTheOriginalOrder_IsNotTheCumulativeOne()
    {
        var fresh = Shuffle.Identity(60_000);
        Shuffle.Epoch(fresh, 1); // the book's simplified listing: reshuffle file order each epoch
        Assert.NotEqual([24677, 55850, 35593, 1460, 27677], fresh[..5]);
    }

    [Fact]
    public void Augmentation_CropOffsetsAndFlipBitsMatchTheOriginal()
    {
        Assert.Equal([(12, 20), (9, 8), (11, 13), (27, 30)], Augmentation.CropOffsets(0, 4));
        Assert.Equal([false, true, false, true, false, false, false, false], Augmentation.FlipBits(7777, 8));
        Assert.Equal(30_005UL, Augmentation.BatchSeed(3, 5));
    }

    [Fact]
    public void Augmentation_CropAndFlipMoveTheRightPixels()
    {
        var image = Enumerable.Range(0, 2 * 4 * 4).Select(i => (float)i).ToArray(); // 2×4×4
        var crop = new float[2 * 2 * 2];
        Augmentation.Crop(image, 2, 4, 2, 1, 2, crop);
        Assert.Equal([6f, 7, 10, 11, 22, 23, 26, 27], crop);
        Augmentation.FlipHorizontal(crop, 2, 2, 2);
        Assert.Equal([7f, 6, 11, 10, 23, 22, 27, 26], crop);
    }

    [Fact]
    public void LrSchedule_MnistMlpTrace_HasTheOriginalsPerEpochRates()
    {
        var config = Recipes.MnistAdamCosine(12);
        double[] expected = [
            0.001, 0.001, 0.00098, 0.000921, 0.000827, 0.000708, 0.000571, 0.000429, 0.000292, 0.000173, 0.000079, 0.000020];
        var got = Enumerable.Range(0, 12).Select(e => Math.Round(LrSchedule.ForEpoch(config, e), 6));
        Assert.Equal(expected, got);
    }

    [Fact]
    public void LrSchedule_WarmupOnlyInsideCosine_AsTheCode()
    {
        var noCosine = Recipes.R34NoCosine;
        Assert.All(Enumerable.Range(0, 80), e => Assert.Equal(0.001, LrSchedule.ForEpoch(noCosine, e)));
        var full = Recipes.R34Full;
        Assert.Equal(0.001 / 3, LrSchedule.ForEpoch(full, 0), 12);
        Assert.Equal(0.001, LrSchedule.ForEpoch(full, 3), 12);
        Assert.InRange(LrSchedule.ForEpoch(full, 79), 1e-7, 1e-6); // the last epoch keeps a tiny non-zero rate
    }

    [Fact]
    public void LabelSmoothing_UsesTheCodesTargetNotTheProses()
    {
        var t = LabelSmoothing.Targets([3, 0], 10, 0.1);
        Assert.Equal(0.91f, t[3], 6);
        Assert.Equal(0.01f, t[0], 6);
        Assert.Equal(0.91f, t[10], 6);
        Assert.Equal(1.0, t[..10].Sum(x => (double)x), 6);
        Assert.NotEqual(0.1f / 9, t[0]); // the book's prose target ε/(K−1)
        Assert.Equal([0f, 1, 0], LabelSmoothing.Targets([1], 3, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LabelSmoothing.Targets([10], 10, 0));
    }
}
