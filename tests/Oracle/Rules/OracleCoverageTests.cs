using System.Reflection;
using LeanMlirVerify.Vjp.Catalog;

namespace LeanMlirVerify.Oracle.Rules;

/// <summary>
/// Every rule of the catalog (every rule training runs, and the book's pieces beside them) has a per-rule autograd
/// oracle case in this folder: the map below names it for each catalog entry, a test fails when an entry has none or
/// when a named test does not exist, so a rule added to the catalog must be given an oracle case.
/// </summary>
public class OracleCoverageTests
{
    static (Type, string) Case<T>(string method) => (typeof(T), method);

    /// <summary>Catalog entry id → the oracle test that checks that rule (or the block whose pieces it is) against autograd.</summary>
    static readonly Dictionary<string, (Type Class, string Method)> Oracle = new()
    {
        ["identity"] = Case<CombinatorOracleTests>(nameof(CombinatorOracleTests.Identity_CotangentMatchesAutograd)),
        ["identity-mat"] = Case<TransformerBlockOracleTests>(nameof(TransformerBlockOracleTests.AttentionSublayer_CotangentsMatchAutograd)),
        ["identity-3"] = Case<BlockOracleTests>(nameof(BlockOracleTests.BasicBlock_CotangentsMatchAutograd)),
        ["chain"] = Case<DenseOracleTests>(nameof(DenseOracleTests.Mlp_AllCotangentsMatchAutograd)),
        ["chain-mat"] = Case<TransformerBlockOracleTests>(nameof(TransformerBlockOracleTests.TransformerMlp_CotangentsMatchAutograd)),
        ["chain-3"] = Case<BlockOracleTests>(nameof(BlockOracleTests.ConvBn_CotangentsMatchAutograd)),
        ["add"] = Case<CombinatorOracleTests>(nameof(CombinatorOracleTests.AdditiveFanIn_DenseAndIdentity_CotangentsMatchAutograd)),
        ["add-mat"] = Case<TransformerBlockOracleTests>(nameof(TransformerBlockOracleTests.AttentionSublayer_CotangentsMatchAutograd)),
        ["add-3"] = Case<BlockOracleTests>(nameof(BlockOracleTests.BasicBlock_CotangentsMatchAutograd)),
        ["multiply"] = Case<CombinatorOracleTests>(nameof(CombinatorOracleTests.MultiplicativeFanIn_TwoDensePaths_CotangentsMatchAutograd)),
        ["multiply-3-gate"] = Case<BlockOracleTests>(nameof(BlockOracleTests.SqueezeExcite_CotangentsMatchAutograd)),
        ["matmul-left-const"] = Case<MatrixOracleTests>(nameof(MatrixOracleTests.MatmulLeftConst_InputCotangentMatchesAutograd)),
        ["matmul-right-const"] = Case<MatrixOracleTests>(nameof(MatrixOracleTests.MatmulRightConst_InputCotangentMatchesAutograd)),
        ["scalar-scale"] = Case<MatrixOracleTests>(nameof(MatrixOracleTests.ScalarScale_InputCotangentMatchesAutograd)),
        ["transpose"] = Case<MatrixOracleTests>(nameof(MatrixOracleTests.Transpose_InputCotangentMatchesAutograd)),
        ["row-wise"] = Case<MatrixOracleTests>(nameof(MatrixOracleTests.RowWiseDense_CotangentsMatchAutograd)),
        ["flatten-mat"] = Case<CombinatorOracleTests>(nameof(CombinatorOracleTests.FlattenMatrix_CotangentMatchesAutograd)),
        ["dense"] = Case<DenseOracleTests>(nameof(DenseOracleTests.Dense_WeightCotangentMatchesAutograd)),
        ["relu"] = Case<KinkOracleTests>(nameof(KinkOracleTests.Relu_AtExactZero_AgreesWithAutogradAndPassesNothing)),
        ["softmax-ce"] = Case<ActivationOracleTests>(nameof(ActivationOracleTests.SoftmaxCrossEntropy_LogitCotangentMatchesAutograd)),
        ["conv2d"] = Case<ConvolutionOracleTests>(nameof(ConvolutionOracleTests.Conv2d_WeightCotangentMatchesAutograd)),
        ["depthwise"] = Case<ConvolutionOracleTests>(nameof(ConvolutionOracleTests.Depthwise_WeightCotangentMatchesAutograd)),
        ["maxpool"] = Case<PoolingOracleTests>(nameof(PoolingOracleTests.MaxPool_InputCotangentMatchesAutograd)),
        ["maxpool-composed"] = Case<PoolingOracleTests>(nameof(PoolingOracleTests.MaxPool_InputCotangentMatchesAutograd)),
        ["maxpool-native"] = Case<PoolingOracleTests>(nameof(PoolingOracleTests.MaxPool_InputCotangentMatchesAutograd)),
        ["relu-composed"] = Case<ActivationOracleTests>(nameof(ActivationOracleTests.ForcedStrategy_CotangentMatchesAutograd)),
        ["relu-native"] = Case<ActivationOracleTests>(nameof(ActivationOracleTests.ForcedStrategy_CotangentMatchesAutograd)),
        ["relu6-composed"] = Case<ActivationOracleTests>(nameof(ActivationOracleTests.ForcedStrategy_CotangentMatchesAutograd)),
        ["relu6-native"] = Case<ActivationOracleTests>(nameof(ActivationOracleTests.ForcedStrategy_CotangentMatchesAutograd)),
        ["global-avg-pool"] = Case<PoolingOracleTests>(nameof(PoolingOracleTests.GlobalAvgPool_InputCotangentMatchesAutograd)),
        ["avg-pool-2"] = Case<PoolingOracleTests>(nameof(PoolingOracleTests.AvgPool2_InputCotangentMatchesAutograd)),
        ["flatten"] = Case<PoolingOracleTests>(nameof(PoolingOracleTests.Flatten_InputCotangentMatchesAutograd)),
        ["relu-3"] = Case<ActivationOracleTests>(nameof(ActivationOracleTests.Relu_CotangentMatchesAutograd)),
        ["sigmoid"] = Case<ActivationOracleTests>(nameof(ActivationOracleTests.ElementwiseActivation_CotangentMatchesAutograd)),
        ["swish"] = Case<ActivationOracleTests>(nameof(ActivationOracleTests.ElementwiseActivation_CotangentMatchesAutograd)),
        ["relu6"] = Case<KinkOracleTests>(nameof(KinkOracleTests.Relu6_AtBothKinks_AgreesWithAutograd)),
        ["hard-swish"] = Case<ActivationOracleTests>(nameof(ActivationOracleTests.ElementwiseActivation_CotangentMatchesAutograd)),
        ["hard-sigmoid"] = Case<ActivationOracleTests>(nameof(ActivationOracleTests.ElementwiseActivation_CotangentMatchesAutograd)),
        ["bn-normalize"] = Case<BatchNormOracleTests>(nameof(BatchNormOracleTests.BnNormalize_InputCotangentMatchesAutograd)),
        ["bn-affine"] = Case<BatchNormOracleTests>(nameof(BatchNormOracleTests.BnAffine_CotangentsMatchAutograd)),
        ["bn-centered"] = Case<BatchNormOracleTests>(nameof(BatchNormOracleTests.BnCentered_InputCotangentMatchesAutograd)),
        ["bn-istd-broadcast"] = Case<BatchNormOracleTests>(nameof(BatchNormOracleTests.BnIstdBroadcast_InputCotangentMatchesAutograd)),
        ["batchnorm"] = Case<BatchNormOracleTests>(nameof(BatchNormOracleTests.BatchNorm_CotangentsMatchAutograd)),
        ["batchnorm-eval"] = Case<BatchNormOracleTests>(nameof(BatchNormOracleTests.BatchNorm_CotangentsMatchAutograd)),
        ["batchnorm-composed"] = Case<BatchNormOracleTests>(nameof(BatchNormOracleTests.BatchNorm_CotangentsMatchAutograd)),
        ["batchnorm-fused"] = Case<BatchNormOracleTests>(nameof(BatchNormOracleTests.BatchNorm_CotangentsMatchAutograd)),
        ["batchnorm-native"] = Case<BatchNormOracleTests>(nameof(BatchNormOracleTests.BatchNorm_CotangentsMatchAutograd)),
        ["mlp"] = Case<DenseOracleTests>(nameof(DenseOracleTests.Mlp_AllCotangentsMatchAutograd)),
        ["conv-bn"] = Case<BlockOracleTests>(nameof(BlockOracleTests.ConvBn_CotangentsMatchAutograd)),
        ["residual"] = Case<BlockOracleTests>(nameof(BlockOracleTests.BasicBlock_CotangentsMatchAutograd)),
        ["bottleneck"] = Case<BlockOracleTests>(nameof(BlockOracleTests.Bottleneck_CotangentsMatchAutograd)),
        ["inverted-residual"] = Case<BlockOracleTests>(nameof(BlockOracleTests.InvertedResidual_CotangentsMatchAutograd)),
        ["se"] = Case<BlockOracleTests>(nameof(BlockOracleTests.SqueezeExcite_CotangentsMatchAutograd)),
        ["mbconv"] = Case<BlockOracleTests>(nameof(BlockOracleTests.MbConv_CotangentsMatchAutograd)),
        ["mbconv-v3"] = Case<BlockOracleTests>(nameof(BlockOracleTests.MbConvV3_CotangentsMatchAutograd)),
        ["fused-mbconv"] = Case<BlockOracleTests>(nameof(BlockOracleTests.FusedMbConv_CotangentsMatchAutograd)),
        ["uib"] = Case<BlockOracleTests>(nameof(BlockOracleTests.Uib_CotangentsMatchAutograd)),
        ["gelu-tanh"] = Case<TransformerOracleTests>(nameof(TransformerOracleTests.GeluTanh_CotangentMatchesLibtorchsTanhGelu)),
        ["gelu-tanh-composed"] = Case<TransformerOracleTests>(nameof(TransformerOracleTests.GeluTanh_CotangentMatchesLibtorchsTanhGelu)),
        ["gelu-tanh-native"] = Case<TransformerOracleTests>(nameof(TransformerOracleTests.GeluTanh_CotangentMatchesLibtorchsTanhGelu)),
        ["gelu-erf"] = Case<TransformerOracleTests>(nameof(TransformerOracleTests.GeluErf_CotangentMatchesLibtorchsExactGelu)),
        ["softmax"] = Case<TransformerOracleTests>(nameof(TransformerOracleTests.Softmax_CotangentMatchesAutograd)),
        ["row-softmax"] = Case<TransformerOracleTests>(nameof(TransformerOracleTests.RowSoftmax_CotangentMatchesAutograd)),
        ["layernorm"] = Case<TransformerOracleTests>(nameof(TransformerOracleTests.LayerNorm_CotangentsMatchAutograd)),
        ["layernorm-composed"] = Case<TransformerOracleTests>(nameof(TransformerOracleTests.LayerNorm_CotangentsMatchAutograd)),
        ["layernorm-native"] = Case<TransformerOracleTests>(nameof(TransformerOracleTests.LayerNorm_CotangentsMatchAutograd)),
        ["sdpa-q"] = Case<TransformerOracleTests>(nameof(TransformerOracleTests.SdpaWrtQ_CotangentMatchesAutograd)),
        ["sdpa-k"] = Case<TransformerOracleTests>(nameof(TransformerOracleTests.SdpaWrtK_CotangentMatchesAutograd)),
        ["sdpa-v"] = Case<TransformerOracleTests>(nameof(TransformerOracleTests.SdpaWrtV_CotangentMatchesAutograd)),
        // MatmulFanIn is the two products of each head's SDPA inside the packed multi-head rule.
        ["matmul-fan-in"] = Case<TransformerOracleTests>(nameof(TransformerOracleTests.MultiHeadSdpa_PackedQkv_CotangentMatchesAutograd)),
        ["mhsa"] = Case<TransformerOracleTests>(nameof(TransformerOracleTests.MultiHeadSdpa_PackedQkv_CotangentMatchesAutograd)),
        ["patch-embed"] = Case<TransformerOracleTests>(nameof(TransformerOracleTests.PatchEmbed_CotangentsMatchAutograd)),
        ["cls-token"] = Case<TransformerOracleTests>(nameof(TransformerOracleTests.ClsToken_CotangentMatchesAutograd)),
        ["layernorm-per-token"] =
            Case<TransformerOracleTests>(nameof(TransformerOracleTests.LayerNormPerToken_WithAConstantToken_CotangentsMatchAutograd)),
        ["dense-per-token"] = Case<TransformerBlockOracleTests>(nameof(TransformerBlockOracleTests.DensePerToken_CotangentsMatchAutograd)),
        ["gelu-per-token"] =
            Case<TransformerBlockOracleTests>(nameof(TransformerBlockOracleTests.GeluPerToken_TanhForm_CotangentMatchesAutograd)),
        ["mhsa-layer"] = Case<TransformerOracleTests>(nameof(TransformerOracleTests.MhsaLayer_WithProjections_CotangentsMatchAutograd)),
        ["transformer-mlp"] = Case<TransformerBlockOracleTests>(nameof(TransformerBlockOracleTests.TransformerMlp_CotangentsMatchAutograd)),
        ["attention-sublayer"] =
            Case<TransformerBlockOracleTests>(nameof(TransformerBlockOracleTests.AttentionSublayer_CotangentsMatchAutograd)),
        ["mlp-sublayer"] = Case<TransformerBlockOracleTests>(nameof(TransformerBlockOracleTests.MlpSublayer_CotangentsMatchAutograd)),
        ["transformer-block"] = Case<TransformerBlockOracleTests>(nameof(TransformerBlockOracleTests.Block_CotangentsMatchAutograd)),
        ["transformer-tower"] =
            Case<TransformerBlockOracleTests>(nameof(TransformerBlockOracleTests.TowerOfTwoBlocks_CotangentsMatchAutograd)),
        ["vit-body"] = Case<TransformerBlockOracleTests>(nameof(TransformerBlockOracleTests.VitBody_CotangentsMatchAutograd)),
        ["vit"] = Case<TransformerBlockOracleTests>(
            nameof(TransformerBlockOracleTests.SmallVit_PatchEmbedEncoderAndHead_CotangentsMatchAutograd)),
    };

    /// <summary>The forced-strategy entries run under the oracle's enumeration of both strategy enums.</summary>
    static readonly (Type, string) Strategies =
        Case<ConvolutionOracleTests>(nameof(ConvolutionOracleTests.ForcedStrategy_CotangentsMatchAutograd));

    static (Type Class, string Method)? OracleFor(string id) =>
        Oracle.TryGetValue(id, out var test) ? test
        : RuleCatalog.ConvStrategyEntries.Any(e => e.Id == id) ? Strategies : null;

    static List<string> Uncovered(IEnumerable<string> ids) => ids.Where(id => OracleFor(id) is null).ToList();

    [Fact]
    public void EveryCatalogRule_HasAPerRuleOracleCase()
    {
        var missing = Uncovered(RuleCatalog.All.Select(e => e.Id));
        Assert.True(missing.Count == 0, "catalog rules without an oracle case (add one, then name it here): " + string.Join(", ", missing));
        Assert.Empty(Oracle.Keys.Except(RuleCatalog.All.Select(e => e.Id)));
    }

    [Fact]
    public void EveryNamedOracleCase_IsATestInThisFolder()
    {
        foreach (var (id, (type, method)) in Oracle.Append(new("strategies", Strategies)))
        {
            var m = type.GetMethod(method);
            Assert.True(m is not null && m.GetCustomAttributes<FactAttribute>().Any(), $"{id}: {type.Name}.{method} is not a test");
        }
    }

    [Fact]
    public void ARuleWithoutAnOracleCase_IsReported() =>
        Assert.Equal(["a-new-rule"], Uncovered(["dense", "a-new-rule", "conv2d-patches-chunked"]));
}
