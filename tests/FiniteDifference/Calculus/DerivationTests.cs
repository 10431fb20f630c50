using LeanMlirVerify.Calculus.Derivations;
using LeanMlirVerify.Calculus.Ledger;

namespace LeanMlirVerify.FiniteDifference.Calculus;

/// <summary>One test per catalog entry, so each ledger item carries its own symbolic evidence.</summary>
public sealed class DerivationTests
{
    static void AssertChecked(string item)
    {
        var entry = Assert.Single(DerivationCatalog.All, d => d.Item == item);
        Assert.False(entry.IsAxiom);
        Assert.True(entry.Instances.Count >= 2, $"{item} is checked at {entry.Instances.Count} size(s); at least two are required");
        foreach (var instance in entry.Instances)
        {
            var c = instance.Build();
            Assert.NotEmpty(c.Derived);
            var outcome = c.Check();
            Assert.True(outcome.Equal, $"{item} at {instance.Size}: {outcome.Mismatch}");
        }
    }

    [Fact, Evidence(ItemId.pdiv_comp, EvidenceKind.Symbolic)]
    public void PdivComp_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.pdiv_comp);

    [Fact, Evidence(ItemId.pdiv_add, EvidenceKind.Symbolic)]
    public void PdivAdd_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.pdiv_add);

    [Fact, Evidence(ItemId.pdiv_mul, EvidenceKind.Symbolic)]
    public void PdivMul_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.pdiv_mul);

    [Fact, Evidence(ItemId.pdiv_id, EvidenceKind.Symbolic)]
    public void PdivId_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.pdiv_id);

    [Fact, Evidence(ItemId.pdiv_const, EvidenceKind.Symbolic)]
    public void PdivConst_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.pdiv_const);

    [Fact, Evidence(ItemId.pdiv_reindex, EvidenceKind.Symbolic)]
    public void PdivReindex_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.pdiv_reindex);

    [Fact, Evidence(ItemId.pdivMat_rowIndep, EvidenceKind.Symbolic)]
    public void PdivMatRowIndep_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.pdivMat_rowIndep);

    [Fact, Evidence(ItemId.pdiv_finset_sum, EvidenceKind.Symbolic)]
    public void PdivFinsetSum_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.pdiv_finset_sum);

    [Fact, Evidence(ItemId.vjp_comp, EvidenceKind.Symbolic)]
    public void VjpComp_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.vjp_comp);

    [Fact, Evidence(ItemId.biPath_has_vjp, EvidenceKind.Symbolic)]
    public void BiPathHasVjp_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.biPath_has_vjp);

    [Fact, Evidence(ItemId.elemwiseProduct_has_vjp, EvidenceKind.Symbolic)]
    public void ElemwiseProductHasVjp_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.elemwiseProduct_has_vjp);

    [Fact, Evidence(ItemId.identity_has_vjp, EvidenceKind.Symbolic)]
    public void IdentityHasVjp_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.identity_has_vjp);

    [Fact, Evidence(ItemId.vjpMat_comp, EvidenceKind.Symbolic)]
    public void VjpMatComp_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.vjpMat_comp);

    [Fact, Evidence(ItemId.biPathMat_has_vjp, EvidenceKind.Symbolic)]
    public void BiPathMatHasVjp_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.biPathMat_has_vjp);

    [Fact, Evidence(ItemId.identityMat_has_vjp, EvidenceKind.Symbolic)]
    public void IdentityMatHasVjp_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.identityMat_has_vjp);

    [Fact, Evidence(ItemId.pdivMat_scalarScale, EvidenceKind.Symbolic)]
    public void PdivMatScalarScale_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.pdivMat_scalarScale);

    [Fact, Evidence(ItemId.pdivMat_transpose, EvidenceKind.Symbolic)]
    public void PdivMatTranspose_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.pdivMat_transpose);

    [Fact, Evidence(ItemId.pdivMat_matmul_left_const, EvidenceKind.Symbolic)]
    public void PdivMatMatmulLeftConst_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.pdivMat_matmul_left_const);

    [Fact, Evidence(ItemId.pdivMat_matmul_right_const, EvidenceKind.Symbolic)]
    public void PdivMatMatmulRightConst_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.pdivMat_matmul_right_const);

    [Fact, Evidence(ItemId.matmul_left_const_has_vjp, EvidenceKind.Symbolic)]
    public void MatmulLeftConstHasVjp_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.matmul_left_const_has_vjp);

    [Fact, Evidence(ItemId.matmul_right_const_has_vjp, EvidenceKind.Symbolic)]
    public void MatmulRightConstHasVjp_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.matmul_right_const_has_vjp);

    [Fact, Evidence(ItemId.scalarScale_has_vjp, EvidenceKind.Symbolic)]
    public void ScalarScaleHasVjp_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.scalarScale_has_vjp);

    [Fact, Evidence(ItemId.transpose_has_vjp, EvidenceKind.Symbolic)]
    public void TransposeHasVjp_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.transpose_has_vjp);

    [Fact, Evidence(ItemId.rowwise_has_vjp_mat, EvidenceKind.Symbolic)]
    public void RowwiseHasVjpMat_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.rowwise_has_vjp_mat);

    [Fact, Evidence(ItemId.pdiv3_comp, EvidenceKind.Symbolic)]
    public void Pdiv3Comp_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.pdiv3_comp);

    [Fact, Evidence(ItemId.vjp3_comp, EvidenceKind.Symbolic)]
    public void Vjp3Comp_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.vjp3_comp);

    [Fact, Evidence(ItemId.biPath3_has_vjp, EvidenceKind.Symbolic)]
    public void BiPath3HasVjp_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.biPath3_has_vjp);

    [Fact, Evidence(ItemId.pdiv_dense, EvidenceKind.Symbolic)]
    public void PdivDense_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.pdiv_dense);

    [Fact, Evidence(ItemId.pdiv_dense_W, EvidenceKind.Symbolic)]
    public void PdivDenseW_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.pdiv_dense_W);

    [Fact, Evidence(ItemId.softmaxCE_grad, EvidenceKind.Symbolic)]
    public void SoftmaxCEGrad_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.softmaxCE_grad);

    [Fact, Evidence(ItemId.dense_has_vjp, EvidenceKind.Symbolic)]
    public void DenseHasVjp_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.dense_has_vjp);

    [Fact, Evidence(ItemId.dense_weight_grad_correct, EvidenceKind.Symbolic)]
    public void DenseWeightGradCorrect_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.dense_weight_grad_correct);

    [Fact, Evidence(ItemId.dense_bias_grad_correct, EvidenceKind.Symbolic)]
    public void DenseBiasGradCorrect_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.dense_bias_grad_correct);

    [Fact, Evidence(ItemId.conv2d_weight_grad_has_vjp, EvidenceKind.Symbolic)]
    public void Conv2dWeightGradHasVjp_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.conv2d_weight_grad_has_vjp);

    [Fact, Evidence(ItemId.conv2d_bias_grad_has_vjp, EvidenceKind.Symbolic)]
    public void Conv2dBiasGradHasVjp_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.conv2d_bias_grad_has_vjp);

    [Fact, Evidence(ItemId.pdiv_bnAffine, EvidenceKind.Symbolic)]
    public void PdivBnAffine_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.pdiv_bnAffine);

    [Fact, Evidence(ItemId.pdiv_bnCentered, EvidenceKind.Symbolic)]
    public void PdivBnCentered_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.pdiv_bnCentered);

    [Fact, Evidence(ItemId.pdiv_bnIstdBroadcast, EvidenceKind.Symbolic)]
    public void PdivBnIstdBroadcast_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.pdiv_bnIstdBroadcast);

    [Fact, Evidence(ItemId.bnIstdBroadcast_diff, EvidenceKind.Symbolic)]
    public void BnIstdBroadcastDiff_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.bnIstdBroadcast_diff);

    [Fact, Evidence(ItemId.bnNormalize_has_vjp, EvidenceKind.Symbolic)]
    public void BnNormalizeHasVjp_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.bnNormalize_has_vjp);

    [Fact, Evidence(ItemId.bnAffine_has_vjp, EvidenceKind.Symbolic)]
    public void BnAffineHasVjp_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.bnAffine_has_vjp);

    [Fact, Evidence(ItemId.bn_has_vjp, EvidenceKind.Symbolic)]
    public void BnHasVjp_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.bn_has_vjp);

    [Fact, Evidence(ItemId.residual_has_vjp, EvidenceKind.Symbolic)]
    public void ResidualHasVjp_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.residual_has_vjp);

    [Fact, Evidence(ItemId.depthwise_weight_grad_has_vjp3, EvidenceKind.Symbolic)]
    public void DepthwiseWeightGradHasVjp3_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.depthwise_weight_grad_has_vjp3);

    [Fact, Evidence(ItemId.depthwise_bias_grad_has_vjp, EvidenceKind.Symbolic)]
    public void DepthwiseBiasGradHasVjp_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.depthwise_bias_grad_has_vjp);

    [Fact, Evidence(ItemId.seBlock_has_vjp, EvidenceKind.Symbolic)]
    public void SeBlockHasVjp_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.seBlock_has_vjp);

    [Fact, Evidence(ItemId.pdiv_gelu, EvidenceKind.Symbolic)]
    public void PdivGelu_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.pdiv_gelu);

    [Fact, Evidence(ItemId.layerNorm_has_vjp, EvidenceKind.Symbolic)]
    public void LayerNormHasVjp_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.layerNorm_has_vjp);

    [Fact, Evidence(ItemId.gelu_has_vjp, EvidenceKind.Symbolic)]
    public void GeluHasVjp_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.gelu_has_vjp);

    [Fact, Evidence(ItemId.pdiv_softmax, EvidenceKind.Symbolic)]
    public void PdivSoftmax_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.pdiv_softmax);

    [Fact, Evidence(ItemId.softmax_has_vjp, EvidenceKind.Symbolic)]
    public void SoftmaxHasVjp_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.softmax_has_vjp);

    [Fact, Evidence(ItemId.rowSoftmax_has_vjp_mat, EvidenceKind.Symbolic)]
    public void RowSoftmaxHasVjpMat_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.rowSoftmax_has_vjp_mat);

    [Fact, Evidence(ItemId.sdpa_back_Q_correct, EvidenceKind.Symbolic)]
    public void SdpaBackQCorrect_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.sdpa_back_Q_correct);

    [Fact, Evidence(ItemId.sdpa_back_K_correct, EvidenceKind.Symbolic)]
    public void SdpaBackKCorrect_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.sdpa_back_K_correct);

    [Fact, Evidence(ItemId.sdpa_back_V_correct, EvidenceKind.Symbolic)]
    public void SdpaBackVCorrect_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.sdpa_back_V_correct);

    [Fact, Evidence(ItemId.layerNorm_per_token_has_vjp_mat, EvidenceKind.Symbolic)]
    public void LayerNormPerTokenHasVjpMat_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.layerNorm_per_token_has_vjp_mat);

    [Fact, Evidence(ItemId.dense_per_token_has_vjp_mat, EvidenceKind.Symbolic)]
    public void DensePerTokenHasVjpMat_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.dense_per_token_has_vjp_mat);

    [Fact, Evidence(ItemId.gelu_per_token_has_vjp_mat, EvidenceKind.Symbolic)]
    public void GeluPerTokenHasVjpMat_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.gelu_per_token_has_vjp_mat);

    [Fact, Evidence(ItemId.rowSoftmax_flat_diff, EvidenceKind.Symbolic)]
    public void RowSoftmaxFlatDiff_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.rowSoftmax_flat_diff);

    [Fact, Evidence(ItemId.transformerMlp_has_vjp_mat, EvidenceKind.Symbolic)]
    public void TransformerMlpHasVjpMat_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.transformerMlp_has_vjp_mat);

    [Fact, Evidence(ItemId.transformerAttnSublayer_has_vjp_mat, EvidenceKind.Symbolic)]
    public void TransformerAttnSublayerHasVjpMat_ClosedFormMatchesDerivedJacobian() =>
        AssertChecked(ItemId.transformerAttnSublayer_has_vjp_mat);

    [Fact, Evidence(ItemId.transformerMlpSublayer_has_vjp_mat, EvidenceKind.Symbolic)]
    public void TransformerMlpSublayerHasVjpMat_ClosedFormMatchesDerivedJacobian() =>
        AssertChecked(ItemId.transformerMlpSublayer_has_vjp_mat);

    [Fact, Evidence(ItemId.transformerBlock_has_vjp_mat, EvidenceKind.Symbolic)]
    public void TransformerBlockHasVjpMat_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.transformerBlock_has_vjp_mat);

    [Fact, Evidence(ItemId.transformerTower_has_vjp_mat, EvidenceKind.Symbolic)]
    public void TransformerTowerHasVjpMat_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.transformerTower_has_vjp_mat);

    [Fact, Evidence(ItemId.vit_body_has_vjp_mat, EvidenceKind.Symbolic)]
    public void VitBodyHasVjpMat_ClosedFormMatchesDerivedJacobian() => AssertChecked(ItemId.vit_body_has_vjp_mat);
}
