using System.Diagnostics;
using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Checking;
using LeanMlirVerify.Vjp.Rules;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace LeanMlirVerify.FiniteDifference.Vjp.Rules;

/// <summary>
/// Dot-product tests at the nets' real sizes, where a Jacobian is out of reach: for random v (input and every
/// parameter) and dy, ⟨dy, J·v⟩ by one central directional difference equals ⟨Jᵀ·dy, v⟩ from the pullback,
/// relative error ≤ 1e-7. BN runs in training mode. The step is 1e-8, not the book's 1e-5: with ~10⁵–10⁶ ReLU-family
/// pre-activations moved along a direction in the input and every weight, a larger step straddles kinks (measured on
/// the inverted-residual case: 2.7e-3 at 1e-5, 5.8e-4 at 1e-6, 1.7e-4 at 1e-7, 2.0e-9 at 1e-8); at 1e-8 the
/// rounding error of the difference stays near 1e-9 relative, 20–50× inside the tolerance on these four cases.
/// </summary>
public class AdjointTests(ITestOutputHelper output)
{
    const double Step = 1e-8;

    void Check(HasVjp<Tensor3, Tensor3> block, long batch, long channels, long size, int seed)
    {
        using var scope = NewDisposeScope();
        var clock = Stopwatch.StartNew();
        var init = Init.Float64Cpu(seed);
        var x = init.Point(batch, channels, size, size);
        var c = CheckCase.Of(block, x, $"B={batch} C={channels} {size}×{size}");
        var y = c.Forward(x);
        var result = VjpCheck.Adjoint(c, init.Point(x.shape), init.Point(y.shape), init: init, step: Step);
        output.WriteLine($"{result}  ({clock.Elapsed.TotalSeconds:0.00} s)");
        Assert.True(result.Passed, result.ToString());
    }

    [Fact, Evidence(ItemId.residual_has_vjp, EvidenceKind.Adjoint), Evidence(ItemId.conv2d_has_vjp3, EvidenceKind.Adjoint),
     Evidence(ItemId.bn_has_vjp, EvidenceKind.Adjoint), Evidence(ItemId.biPath3_has_vjp, EvidenceKind.Adjoint)]
    public void ResNetBasicBlock_AdjointHoldsAt64Channels56x56()
    {
        var init = Init.Float64Cpu(1);
        Check(Blocks.BasicBlock(64, 64, 1, init), batch: 2, channels: 64, size: 56, seed: 2);
    }

    [Fact, Evidence(ItemId.depthwise_has_vjp3, EvidenceKind.Adjoint), Evidence(ItemId.residual_has_vjp, EvidenceKind.Adjoint)]
    public void InvertedResidualBlock_AdjointHoldsAtMobileNetV2Size()
    {
        // MobileNet V2's second 32-channel block: expand 6 (192 wide), 28×28, identity shortcut.
        var init = Init.Float64Cpu(3);
        Check(Blocks.InvertedResidual(32, 32, 6, 1, init), batch: 2, channels: 32, size: 28, seed: 4);
    }

    [Fact, Evidence(ItemId.seBlock_has_vjp, EvidenceKind.Adjoint), Evidence(ItemId.elemwiseProduct_has_vjp, EvidenceKind.Adjoint)]
    public void SqueezeExciteBlock_AdjointHoldsAtEfficientNetSize()
    {
        // EfficientNet-B0's 144-wide SE (seMid = 144/4 = 36) at 56×56.
        var init = Init.Float64Cpu(5);
        Check(Blocks.SqueezeExcite(144, 36, "swish", "sigmoid", init), batch: 2, channels: 144, size: 56, seed: 6);
    }

    [Fact, Evidence(ItemId.seBlock_has_vjp, EvidenceKind.Adjoint)]
    public void MbConvBlockWithStride2_AdjointHoldsAtEfficientNetSize()
    {
        // EfficientNet-B0 stage 4's first block: 40 → 80, expand 6 (240 wide), k3, stride 2, with SE, 28×28 in.
        var init = Init.Float64Cpu(7);
        Check(Blocks.MbConv(40, 80, 6, 3, 2, true, init), batch: 2, channels: 40, size: 28, seed: 8);
    }
}
