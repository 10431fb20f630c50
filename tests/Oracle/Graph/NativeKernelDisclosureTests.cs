using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Training.Graph;
using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Vjp.Algebra;

namespace LeanMlirVerify.Oracle.Graph;

/// <summary>
/// Issue 15's third condition on a rule that runs a libtorch kernel: the ledger and <c>lmv why</c> say that its oracle
/// comparison is not independent. <see cref="NativeKernels.Uses"/> (what the rules run) and the ledger's
/// <c>native-kernel</c> convention (what the ledger says) must name the same items.
/// </summary>
public class NativeKernelDisclosureTests
{
    static readonly ProofsLedger Ledger = ProofsLedger.LoadDefault();

    /// <summary>Items one side names and the other does not, each with the side that names it.</summary>
    static List<string> Mismatches(ProofsLedger ledger)
    {
        var ruled = NativeKernels.Uses.Select(u => u.Item).ToHashSet();
        var said = ledger.Items.Concat(ledger.Bindings).Where(i => i.Conventions.Contains(NetworkDerivation.NativeKernel))
            .Select(i => i.Name).ToHashSet();
        return [.. ruled.Except(said).Select(i => $"{i}: runs a libtorch kernel (NativeKernels.Uses), the ledger does not say so"),
            .. said.Except(ruled).Select(i => $"{i}: the ledger says native-kernel, no rule runs one")];
    }

    static ProofsLedger WithoutConvention(string item) => Ledger.With(i =>
        i.Name == item ? i with { Conventions = [.. i.Conventions.Where(c => c != NetworkDerivation.NativeKernel)] } : i);

    [Fact]
    public void EveryRuleThatRunsALibtorchKernel_IsMarkedInTheLedger_AndNoOtherItemIs()
    {
        Assert.NotEmpty(NativeKernels.Uses);
        Assert.Empty(Mismatches(Ledger));
    }

    [Fact]
    public void AnItemWhoseRuleRunsAKernel_WithoutTheConvention_IsReported()
    {
        var item = NativeKernels.Uses[0].Item;
        Assert.Equal([$"{item}: runs a libtorch kernel (NativeKernels.Uses), the ledger does not say so"],
            Mismatches(WithoutConvention(item)));
    }

    [Fact]
    public void Why_MarksTheOracleOfBatchNormAsNotIndependent_AndNamesTheKernel()
    {
        var text = NetworkDerivation.Of(NetCatalog.Find("cifar-bn")!.Spec, Ledger).Text();
        var line = text.Split('\n').Single(l => l.Contains($" {ItemId.bn_has_vjp} "));
        Assert.Contains("oracle†", line);
        Assert.Contains("† oracle not independent (native-kernel)", text);
        Assert.Contains($"  {ItemId.bn_has_vjp}: native_batch_norm_backward", text);
    }

    [Fact]
    public void Why_WithoutTheConvention_DoesNotMarkTheOracle()
    {
        var text = NetworkDerivation.Of(NetCatalog.Find("cifar-bn")!.Spec, WithoutConvention(ItemId.bn_has_vjp)).Text();
        var line = text.Split('\n').Single(l => l.Contains($" {ItemId.bn_has_vjp} "));
        Assert.DoesNotContain("†", line);
    }
}
