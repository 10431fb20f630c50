using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Catalog;
using Xunit.Abstractions;

namespace LeanMlirVerify.FiniteDifference.Vjp.Transformer;

/// <summary>
/// The transformer family's catalog entries under the generic FsCheck property (random shapes: tokens 1–5, widths
/// 1–6, heads dividing the width, batch 1–3; random points and parameters): pullback and parameter cotangents match
/// central differences. This class carries the family's property evidence.
/// </summary>
public class TransformerPropertyTests(ITestOutputHelper output)
{
    public static TheoryData<string> Entries() =>
        [.. RuleCatalog.All.Where(e => TransformerCatalogTests.OwnedItems.Contains(e.Item) || e.Id is "cls-token" or "matmul-fan-in" or "vit").Select(e => e.Id)];

    [Theory, MemberData(nameof(Entries))]
    [Evidence(ItemId.gelu_has_vjp, EvidenceKind.Property)]
    [Evidence(ItemId.pdiv_gelu, EvidenceKind.Property)]
    [Evidence(ItemId.softmax_has_vjp, EvidenceKind.Property)]
    [Evidence(ItemId.rowSoftmax_has_vjp_mat, EvidenceKind.Property)]
    [Evidence(ItemId.layerNorm_has_vjp, EvidenceKind.Property)]
    [Evidence(ItemId.sdpa_back_Q_correct, EvidenceKind.Property)]
    [Evidence(ItemId.sdpa_back_K_correct, EvidenceKind.Property)]
    [Evidence(ItemId.sdpa_back_V_correct, EvidenceKind.Property)]
    [Evidence(ItemId.mhsa_has_vjp_mat, EvidenceKind.Property)]
    [Evidence(ItemId.mhsa_layer_flat_diff, EvidenceKind.Property)]
    [Evidence(ItemId.patchEmbed_flat_has_vjp, EvidenceKind.Property)]
    [Evidence(ItemId.layerNorm_per_token_has_vjp_mat, EvidenceKind.Property)]
    [Evidence(ItemId.dense_per_token_has_vjp_mat, EvidenceKind.Property)]
    [Evidence(ItemId.gelu_per_token_has_vjp_mat, EvidenceKind.Property)]
    [Evidence(ItemId.transformerMlp_has_vjp_mat, EvidenceKind.Property)]
    [Evidence(ItemId.transformerAttnSublayer_has_vjp_mat, EvidenceKind.Property)]
    [Evidence(ItemId.transformerMlpSublayer_has_vjp_mat, EvidenceKind.Property)]
    [Evidence(ItemId.transformerBlock_has_vjp_mat, EvidenceKind.Property)]
    [Evidence(ItemId.transformerTower_has_vjp_mat, EvidenceKind.Property)]
    [Evidence(ItemId.vit_body_has_vjp_mat, EvidenceKind.Property)]
    public void TransformerRule_PullbackMatchesCentralDifferenceAtRandomShapes(string id) =>
        new CatalogPropertyTests(output).Rule_PullbackMatchesCentralDifferenceAtRandomShapes(id);
}
