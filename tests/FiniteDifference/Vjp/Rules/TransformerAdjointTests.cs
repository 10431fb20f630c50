using System.Diagnostics;
using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Checking;
using LeanMlirVerify.Vjp.Rules;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace LeanMlirVerify.FiniteDifference.Vjp.Rules;

/// <summary>
/// Dot-product tests where a Jacobian is out of reach: for random v (input and every parameter) and dy,
/// ⟨dy, J·v⟩ from one central directional difference equals ⟨Jᵀ·dy, v⟩ from the pullback, relative error ≤ 1e-7,
/// float64. Step 1e-6, not 1e-5: with every parameter moved too, the ε² truncation term of a whole ViT reaches 8e-8
/// relative at 1e-5 (measured); everything here is smooth, and at 1e-6 rounding stays near 1e-10.
/// </summary>
public class TransformerAdjointTests(ITestOutputHelper output)
{
    void Check<TA, TB>(HasVjp<TA, TB> rule, Tensor x, string sizes, int seed)
        where TA : IValue<TA> where TB : IValue<TB>
    {
        using var scope = NewDisposeScope();
        var clock = Stopwatch.StartNew();
        var init = Init.Float64Cpu(seed);
        var c = CheckCase.Of(rule, x, sizes);
        var result = VjpCheck.Adjoint(c, init.Point(x.shape), init.Point(c.Forward(x).shape), init: init, step: 1e-6);
        output.WriteLine($"{result}  ({clock.Elapsed.TotalSeconds:0.00} s)");
        Assert.True(result.Passed, result.ToString());
    }

    [Fact, Evidence(ItemId.transformerBlock_has_vjp_mat, EvidenceKind.Adjoint), Evidence(ItemId.mhsa_has_vjp_mat, EvidenceKind.Adjoint),
     Evidence(ItemId.layerNorm_per_token_has_vjp_mat, EvidenceKind.Adjoint),
     Evidence(ItemId.transformerMlp_has_vjp_mat, EvidenceKind.Adjoint),
     Evidence(ItemId.transformerAttnSublayer_has_vjp_mat, EvidenceKind.Adjoint),
     Evidence(ItemId.transformerMlpSublayer_has_vjp_mat, EvidenceKind.Adjoint)]
    public void VitTinyTransformerBlock_AdjointHoldsAt197Tokens192Wide()
    {
        var init = Init.Float64Cpu(11);
        var block = TransformerBlocks.Block(192, 3, 768, init);
        Check(block, init.Point(1, 197, 192), "B=1 tokens=197 dim=192 H=3 mlp=768", seed: 12);
    }

    [Fact, Evidence(ItemId.vit_body_has_vjp_mat, EvidenceKind.Adjoint), Evidence(ItemId.transformerTower_has_vjp_mat, EvidenceKind.Adjoint),
     Evidence(ItemId.patchEmbed_flat_has_vjp, EvidenceKind.Adjoint)]
    public void TinyVit_AdjointHoldsThroughPatchEmbedTowerFinalLnClsAndHead()
    {
        // 3×16×16 image, patch 4 → 16 patches + CLS; dim 12, 3 heads, MLP 24, 2 blocks; 10 classes.
        var init = Init.Float64Cpu(13);
        var vit = TransformerBlocks.Vit(3, 16, 4, 12, 3, 24, 2, 10, init);
        Check(vit, init.Point(2, 3, 16, 16), "B=2 3×16×16 p=4 dim=12 H=3 mlp=24 ×2", seed: 14);
    }

    [Fact, Evidence(ItemId.vit_body_has_vjp_mat, EvidenceKind.Consistency)]
    public void Consistency_TinyVitFloat32PullbackAgreesWithFloat64()
    {
        // Training runs float32: the same rules, moved with Nodes.To, give the float64 cotangents to float32 accuracy.
        // A consistency check (the rule against itself), not evidence for the formula.
        using var scope = NewDisposeScope();
        var init = Init.Float64Cpu(15);
        var vit = TransformerBlocks.Vit(3, 8, 4, 12, 3, 24, 2, 10, init);
        var x = init.Point(2, 3, 8, 8);
        var dy = init.Point(2, 10);
        Tensor Dx(ScalarType dtype)
        {
            vit.To(dtype, CPU);
            vit.ZeroGrad();
            var (y, pullback) = vit.Forward(new Tensor3(x.to_type(dtype)));
            Assert.Equal(dtype, y.T.dtype);
            var dx = pullback(new Vec(dy.to_type(dtype))).T;
            Assert.Equal(dtype, dx.dtype);
            return dx.to_type(ScalarType.Float64);
        }
        var dx64 = Dx(ScalarType.Float64);
        var dx32 = Dx(ScalarType.Float32);
        var relative = ((dx32 - dx64).abs().max() / dx64.abs().max()).item<double>();
        output.WriteLine($"float32 vs float64 dx: max relative {relative:0.00e+00}");
        Assert.True(relative < 1e-4, $"float32 dx differs from float64 by {relative:0.00e+00} relative to max |dx|");
    }
}
