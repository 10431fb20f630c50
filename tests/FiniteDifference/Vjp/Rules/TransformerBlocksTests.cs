using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using static TorchSharp.torch;

namespace LeanMlirVerify.FiniteDifference.Vjp.Rules;

/// <summary>The transformer blocks rest on the ledger's items; the ViT-Tiny built from the rules is the book's net.</summary>
public class TransformerBlocksTests
{
    [Fact]
    public void VitBody_DerivationRestsOnTheChapter2KitAndTheTransformerItems()
    {
        using var scope = NewDisposeScope();
        var body = TransformerBlocks.Body(6, 2, 4, 2, Init.Float64Cpu(1));
        var items = body.Describe().Items();
        string[] expected =
        [
            ItemId.vit_body_has_vjp_mat, ItemId.transformerTower_has_vjp_mat, ItemId.transformerBlock_has_vjp_mat,
            ItemId.transformerAttnSublayer_has_vjp_mat, ItemId.transformerMlpSublayer_has_vjp_mat, ItemId.transformerMlp_has_vjp_mat,
            ItemId.layerNorm_per_token_has_vjp_mat, ItemId.layerNorm_has_vjp, ItemId.pdiv_bnCentered, ItemId.pdiv_bnIstdBroadcast,
            ItemId.bnAffine_has_vjp, ItemId.elemwiseProduct_has_vjp, ItemId.mhsa_layer_flat_diff, ItemId.mhsa_has_vjp_mat,
            ItemId.rowSoftmax_has_vjp_mat, ItemId.softmax_has_vjp, ItemId.scalarScale_has_vjp, ItemId.transpose_has_vjp,
            ItemId.matmul_left_const_has_vjp, ItemId.matmul_right_const_has_vjp, ItemId.biPathMat_has_vjp, ItemId.identityMat_has_vjp,
            ItemId.rowwise_has_vjp_mat, ItemId.dense_per_token_has_vjp_mat, ItemId.dense_has_vjp, ItemId.gelu_per_token_has_vjp_mat,
            ItemId.gelu_tanh_has_vjp, ItemId.vjpMat_comp, ItemId.pdiv_reindex,
        ];
        Assert.Empty(expected.Except(items));
    }

    [Fact]
    public void VitTiny_HasTheBookParameterCountAndNetspecTensorOrder()
    {
        using var scope = NewDisposeScope();
        var vit = TransformerBlocks.Vit(3, 224, 16, 192, 3, 768, 12, 10, new Init(ScalarType.Float32, CPU, 42));
        var parameters = vit.Parameters.ToList();
        Assert.Equal(200, parameters.Count);
        Assert.Equal(5_526_346, parameters.Sum(p => p.Value.numel()));
        string[] firstBlock =
        [
            "blk0.ln1.γ", "blk0.ln1.β", "blk0.attn.q.W", "blk0.attn.q.b", "blk0.attn.k.W", "blk0.attn.k.b", "blk0.attn.v.W",
            "blk0.attn.v.b", "blk0.attn.o.W", "blk0.attn.o.b", "blk0.ln2.γ", "blk0.ln2.β", "blk0.mlp.fc1.W", "blk0.mlp.fc1.b",
            "blk0.mlp.fc2.W", "blk0.mlp.fc2.b",
        ];
        Assert.Equal(["pe.conv.W", "pe.conv.b", "pe.cls", "pe.pos", .. firstBlock], parameters.Take(20).Select(p => p.Name));
        Assert.Equal(["final_ln.γ", "final_ln.β", "head.W", "head.b"], parameters.TakeLast(4).Select(p => p.Name));
        Assert.Equal([197L, 192L], parameters[3].Value.shape);
    }

    [Fact]
    public void MhsaLayer_RejectsHeadsThatDoNotDivideTheWidth()
    {
        var e = Assert.Throws<ArgumentException>(() => Attention.Layer(10, 3, Init.Float64Cpu(1)));
        Assert.Contains("3 heads do not divide dim 10", e.Message);
    }

    [Fact]
    public void PatchEmbed_ImageNotAWholeNumberOfPatches_ThrowsNamingTheRuleAndShapes()
    {
        using var scope = NewDisposeScope();
        var init = Init.Float64Cpu(1);
        var embed = PatchEmbed.Create(3, 4, 2, 4, init);
        var e = Assert.Throws<ShapeMismatchException>(() => embed.Apply(new Tensor3(init.Point(1, 3, 5, 4))));
        Assert.Contains("pe CLS + positions [patchEmbed_flat_has_vjp]", e.Message);
        Assert.Contains("[1,6,4]", e.Message);
    }
}
