using System.Reflection;
using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Catalog;
using LeanMlirVerify.Vjp.Checking;

namespace LeanMlirVerify.FiniteDifference.Vjp;

/// <summary>Code and ledger cannot drift: every rule names a real item, and every item we own has a rule.</summary>
public class CatalogTests
{
    /// <summary>The ledger's VJP items that issue 4 assigns to src/Vjp outside the transformer family.</summary>
    static readonly string[] OwnedItems =
    [
        ItemId.vjp_comp, ItemId.biPath_has_vjp, ItemId.elemwiseProduct_has_vjp, ItemId.identity_has_vjp,
        ItemId.vjpMat_comp, ItemId.biPathMat_has_vjp, ItemId.identityMat_has_vjp,
        ItemId.matmul_left_const_has_vjp, ItemId.matmul_right_const_has_vjp, ItemId.scalarScale_has_vjp,
        ItemId.transpose_has_vjp, ItemId.rowwise_has_vjp_mat,
        ItemId.dense_has_vjp, ItemId.relu_has_vjp,
    ];

    static readonly HashSet<string> LedgerItems =
        [.. typeof(ItemId).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!)];

    [Fact]
    public void EveryCatalogEntry_NamesAnExistingLedgerItem()
    {
        var unknown = RuleCatalog.All.Where(e => !LedgerItems.Contains(e.Item)).Select(e => $"{e.Id} → {e.Item}");
        Assert.Empty(unknown);
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
        var covered = RuleCatalog.All.Select(e => e.Item).ToHashSet();
        var missing = OwnedItems.Except(covered).ToList();
        Assert.True(missing.Count == 0, "VJP items without a rule: " + string.Join(", ", missing));
    }

    [Fact]
    public void CatalogIds_AreUnique() =>
        Assert.Empty(RuleCatalog.All.GroupBy(e => e.Id).Where(g => g.Count() > 1).Select(g => g.Key));
}
