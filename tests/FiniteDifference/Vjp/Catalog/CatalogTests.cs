using System.Reflection;
using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Catalog;
using LeanMlirVerify.Vjp.Checking;

namespace LeanMlirVerify.FiniteDifference.Vjp.Catalog;

/// <summary>Code and ledger cannot drift: every rule names a real item, and every item we own has a rule.</summary>
public class CatalogTests
{
    /// <summary>
    /// The ledger's VJP items that issue 4 assigns to src/Vjp outside the transformer family (chapters 2–8): each
    /// must be realised by a catalog entry or by a parameter cotangent of one.
    /// </summary>
    static readonly string[] OwnedItems =
    [
        ItemId.vjp_comp, ItemId.biPath_has_vjp, ItemId.elemwiseProduct_has_vjp, ItemId.identity_has_vjp,
        ItemId.vjpMat_comp, ItemId.biPathMat_has_vjp, ItemId.identityMat_has_vjp,
        ItemId.matmul_left_const_has_vjp, ItemId.matmul_right_const_has_vjp, ItemId.scalarScale_has_vjp,
        ItemId.transpose_has_vjp, ItemId.rowwise_has_vjp_mat, ItemId.vjp3_comp, ItemId.biPath3_has_vjp,
        ItemId.softmaxCE_grad, ItemId.dense_has_vjp, ItemId.dense_weight_grad_correct, ItemId.dense_bias_grad_correct,
        ItemId.relu_has_vjp, ItemId.mlp_has_vjp,
        ItemId.conv2d_has_vjp3, ItemId.conv2d_weight_grad_has_vjp, ItemId.conv2d_bias_grad_has_vjp, ItemId.maxPool2_has_vjp3,
        ItemId.pdiv_bnCentered, ItemId.pdiv_bnIstdBroadcast, ItemId.bnNormalize_has_vjp, ItemId.bnAffine_has_vjp, ItemId.bn_has_vjp,
        ItemId.residual_has_vjp,
        ItemId.depthwise_has_vjp3, ItemId.depthwise_weight_grad_has_vjp3, ItemId.depthwise_bias_grad_has_vjp,
        ItemId.seBlock_has_vjp,
    ];

    /// <summary>
    /// The chapter 9–10 VJP items issue 4 assigns to the transformer family (69 is bound to the MHSA layer), and the
    /// tanh GELU's binding. GELU's Jacobian item 59 is the erf rule's book check 25, as other Jacobian items are.
    /// </summary>
    static readonly string[] TransformerItems =
    [
        ItemId.gelu_tanh_has_vjp, ItemId.layerNorm_has_vjp, ItemId.gelu_has_vjp, ItemId.softmax_has_vjp, ItemId.rowSoftmax_has_vjp_mat,
        ItemId.sdpa_back_Q_correct, ItemId.sdpa_back_K_correct, ItemId.sdpa_back_V_correct, ItemId.mhsa_has_vjp_mat,
        ItemId.mhsa_layer_flat_diff, ItemId.patchEmbed_flat_has_vjp, ItemId.layerNorm_per_token_has_vjp_mat,
        ItemId.dense_per_token_has_vjp_mat, ItemId.gelu_per_token_has_vjp_mat, ItemId.transformerMlp_has_vjp_mat,
        ItemId.transformerAttnSublayer_has_vjp_mat, ItemId.transformerMlpSublayer_has_vjp_mat,
        ItemId.transformerBlock_has_vjp_mat, ItemId.transformerTower_has_vjp_mat, ItemId.vit_body_has_vjp_mat,
    ];

    /// <summary>Every ledger item named anywhere in the derivation of one instance of each catalog entry.</summary>
    static IReadOnlySet<string> CatalogDerivationItems()
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        return RuleCatalog.All.SelectMany(e => e.Build(LeanMlirVerify.Vjp.Algebra.Init.Float64Cpu(1)).Derivation.Items()).ToHashSet();
    }

    static readonly HashSet<string> LedgerItems =
        [.. typeof(ItemId).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!)];

    [Fact]
    public void EveryCatalogEntry_NamesAnExistingLedgerItem()
    {
        var unknown = RuleCatalog.All.Where(e => !LedgerItems.Contains(e.Item)).Select(e => $"{e.Id} → {e.Item}");
        Assert.Empty(unknown);
    }

    [Fact]
    public void EveryDerivationNode_NamesAnExistingLedgerItem()
    {
        var unknown = CatalogDerivationItems().Except(LedgerItems).ToList();
        Assert.True(unknown.Count == 0, "unknown items: " + string.Join(", ", unknown));
    }

    [Fact]
    public void EveryBookCheck_NamesAnExistingLedgerItem()
    {
        var unknown = BookChecks.All.Where(c => !LedgerItems.Contains(c.Item)).Select(c => $"{c.Name} → {c.Item}");
        Assert.Empty(unknown);
    }

    [Fact]
    public void EveryOwnedLedgerItem_HasACatalogEntry()
    {
        var covered = CatalogDerivationItems();
        var missing = OwnedItems.Except(covered).ToList();
        Assert.True(missing.Count == 0, "VJP items without a rule: " + string.Join(", ", missing));
    }

    [Fact]
    public void EveryTransformerItem_HasItsOwnCatalogEntry()
    {
        var missing = TransformerItems.Except(RuleCatalog.All.Select(e => e.Item)).ToList();
        Assert.True(missing.Count == 0, "transformer VJP items without a catalog entry: " + string.Join(", ", missing));
    }

    [Fact]
    public void EveryCatalogEntry_NamesAnItemTheRuleItBuildsRestsOn()
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        var init = LeanMlirVerify.Vjp.Algebra.Init.Float64Cpu(1);
        var stray = RuleCatalog.All.Where(e => !e.Build(init).Derivation.Items().Contains(e.Item)).Select(e => $"{e.Id} → {e.Item}");
        Assert.Empty(stray);
    }

    [Fact]
    public void PropertyEvidence_IsEveryEntrysCheckedItems_UnderTheCatalogProperty()
    {
        string check = typeof(CatalogPropertyTests).FullName + "." +
            nameof(CatalogPropertyTests.Rule_PullbackMatchesCentralDifferenceAtRandomShapes);
        var collected = EvidenceSync.Collect(typeof(CatalogTests).Assembly)
            .Where(u => u.Kind == EvidenceKind.Property && u.Check == check).Select(u => u.Item).ToHashSet();
        var expected = RuleCatalog.All.SelectMany(e => e.CheckedItems()).ToHashSet();
        Assert.True(collected.SetEquals(expected),
            $"collected {string.Join(", ", collected.Order())}; catalog {string.Join(", ", expected.Order())}");
        Assert.Contains(ItemId.dense_weight_grad_correct, collected); // a parameter cotangent, checked by the same rows
    }

    [Fact]
    public void VjpReadme_IndexesEveryCatalogEntryAndBookCheck()
    {
        // src/Vjp/README.md is where a reader finds a rule's file, catalog entries and book checks in one table.
        string readme = File.ReadAllText(Path.Combine(LedgerLocation.FindRepositoryRoot()!, "src", "Vjp", "README.md"));
        var missing = RuleCatalog.All.Select(e => e.Id).Concat(BookChecks.All.Select(c => c.Name))
            .Where(name => !readme.Contains($"`{name}`", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, "src/Vjp/README.md does not name: " + string.Join(", ", missing));
    }

    [Fact]
    public void CatalogIds_AreUnique() =>
        Assert.Empty(RuleCatalog.All.GroupBy(e => e.Id).Where(g => g.Count() > 1).Select(g => g.Key));
}
