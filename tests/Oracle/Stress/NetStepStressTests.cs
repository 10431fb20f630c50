using LeanMlirVerify.Training.Specs;
using Xunit.Abstractions;

namespace LeanMlirVerify.Oracle.Stress;

/// <summary>
/// Training steps of the Part-1 nets while another thread forces garbage collections and finalizers (issue 12): no
/// native error, and bitwise the numbers of the same steps without the stress. The default suite takes the 28×28 and
/// 32×32 nets at batch 16 for 2 steps, repeated under stress for 2 s, and two 224×224 nets at batch 1 for one step
/// (EfficientNet: depthwise, SE, swish; ViT-Tiny: attention, LayerNorm, GELU); the soak takes every catalog net.
/// </summary>
[Trait("Category", "Stress")]
public class NetStepStressTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("mnist-mlp")]
    [InlineData("mnist-cnn")]
    [InlineData("mnist-cnn-bn")]
    [InlineData("cifar-cnn")]
    [InlineData("cifar-bn")]
    public void SmallNetSteps_SameNumbersUnderGcStress(string name) =>
        StressRun.Compare(() => NetSteps.Run(name, batch: 16, steps: 2), output);

    [Theory]
    [InlineData("efficientnet")]
    [InlineData("vit-tiny")]
    public void ImagenetteNetStep_SameNumbersUnderGcStress(string name) =>
        StressRun.Compare(() => NetSteps.Run(name, batch: 1, steps: 1), output, TimeSpan.Zero);

    /// <summary>The net with AdamW and weight decay (its book recipe, SGD with momentum 0.9, is the theory's).</summary>
    [Fact]
    public void MnistMlpAdamWeightDecaySteps_SameNumbersUnderGcStress() =>
        StressRun.Compare(() => NetSteps.Run("mnist-mlp", batch: 16, steps: 3, c => c with { UseAdam = true, WeightDecay = 1e-4 }), output);
}

/// <summary>The soak's share of the nets: every catalog entry, batch 2, 3 steps, 10 s of stressed runs (docs/reliability.md).</summary>
[Trait("Category", "Soak")]
public class NetStepSoakTests(ITestOutputHelper output)
{
    public static TheoryData<string> Nets => [.. NetCatalog.Names];

    [SoakTheory, MemberData(nameof(Nets))]
    public void CatalogNetSteps_SameNumbersUnderGcStress(string name) =>
        StressRun.Compare(() => NetSteps.Run(name, batch: 2, steps: 3), output, TimeSpan.FromSeconds(10));
}
