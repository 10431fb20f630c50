using System.Reflection;
using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Calculus.Derivations;

namespace LeanMlirVerify.FiniteDifference.Vjp.KernelVsMath;

/// <summary>
/// Every derivation of the symbolic catalog (every closed form, the bindings' included) is bound to the code by a
/// kernel-versus-math test at a batch (its <c>[Evidence(item, KernelVsMath)]</c>), or is listed here with the reason it
/// has no kernel.
/// </summary>
public class KernelVsMathCoverageTests
{
    static readonly Dictionary<string, string> NoKernel = new()
    {
        [ItemId.pdiv_const] = "a constant map: no rule computes it (its zero Jacobian is what Compose's fixed factors use)",
        [ItemId.pdiv_reindex] = "the catalog's gather σ(j) = (2j+1) mod n is no rule's; the reindex rules (flatten, CLS token, " +
            "head split, column slots) are checked by the property suite and the oracle",
    };

    static IReadOnlySet<string> Tested() => typeof(KernelVsMathCoverageTests).Assembly.GetTypes()
        .SelectMany(t => t.GetMethods()).SelectMany(m => m.GetCustomAttributes<EvidenceAttribute>())
        .Where(a => a.Kind == EvidenceKind.KernelVsMath).Select(a => a.Item).ToHashSet();

    static List<string> Uncovered(IReadOnlySet<string> tested) =>
        DerivationCatalog.All.Where(d => !d.IsAxiom).Select(d => d.Item)
            .Where(i => !tested.Contains(i) && !NoKernel.ContainsKey(i)).ToList();

    [Fact]
    public void EveryDerivation_HasAKernelVsMathTestOrAReasonWhyNot()
    {
        var missing = Uncovered(Tested());
        Assert.True(missing.Count == 0, "derivations without a kernel-vs-math test: " + string.Join(", ", missing));
        var both = NoKernel.Keys.Where(Tested().Contains).ToList();
        Assert.True(both.Count == 0, "listed as having no kernel, yet tested: " + string.Join(", ", both));
    }

    [Fact]
    public void EveryKernelVsMathTest_NamesADerivation()
    {
        var stray = Tested().Where(i => DerivationCatalog.All.All(d => d.Item != i)).ToList();
        Assert.True(stray.Count == 0, "kernel-vs-math tests naming no derivation: " + string.Join(", ", stray));
    }

    [Fact]
    public void ADerivationWithoutATest_IsReported() =>
        Assert.Contains(ItemId.gelu_tanh_has_vjp, Uncovered(Tested().Where(i => i != ItemId.gelu_tanh_has_vjp).ToHashSet()));
}
