using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Training.Graph;
using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Oracle.Graph;

public class NetworkDerivationTests
{
    static readonly ProofsLedger Ledger = ProofsLedger.LoadDefault();

    static NetworkDerivation Of(string net) => NetworkDerivation.Of(NetCatalog.Find(net)!.Spec, Ledger);

    [Fact]
    public void MnistMlp_RestsOnDenseReluAndCrossEntropyAndNoConvolution()
    {
        var d = Of("mnist-mlp");
        var names = d.Closure.Select(i => i.Name).ToHashSet();
        Assert.Contains(ItemId.dense_has_vjp, d.Direct);
        Assert.Contains(ItemId.relu_has_vjp, d.Direct);
        Assert.Contains(ItemId.pdiv_relu, names);      // reached through relu_has_vjp's uses
        Assert.Contains(ItemId.pdiv, names);
        Assert.DoesNotContain(ItemId.conv2d_has_vjp3, names);
        Assert.DoesNotContain(ItemId.bn_has_vjp, names);
    }

    [Fact]
    public void MnistCnnBn_AddsConvolutionPoolingAndBatchNorm()
    {
        var names = Of("mnist-cnn-bn").Closure.Select(i => i.Name).ToHashSet();
        foreach (var item in new[]
            {
                ItemId.conv2d_has_vjp3, ItemId.conv2d_weight_grad_has_vjp, ItemId.maxPool2_has_vjp3, ItemId.bnNormalize_has_vjp,
            })
            Assert.Contains(item, names);
    }

    [Fact]
    public void Text_GroupsByKindAndNamesEvidence()
    {
        string text = Of("mnist-mlp").Text();
        Assert.StartsWith("MNIST-MLP: its backward rests on ", text);
        Assert.Contains("Axioms (", text);
        Assert.Contains("Theorems (", text);
        Assert.Contains("Definitions (", text);
        Assert.Matches(@"\*\s+33 dense_has_vjp\s+Dense VJP\s+checked by: \S", text);
    }

    [Fact]
    public void VitTiny_NamesTheTanhGeluBindingItRunsAndNotTheErfTheorem()
    {
        var d = Of("vit-tiny");
        Assert.Contains(ItemId.gelu_tanh_has_vjp, d.Direct);
        Assert.DoesNotContain(ItemId.gelu_has_vjp, d.Direct);
        var binding = Assert.Single(d.Bindings);
        Assert.Equal(ItemId.gelu_has_vjp, binding.VariantOf);
        Assert.DoesNotContain(d.Closure, i => i.IsBinding);
        string text = d.Text();
        Assert.Contains("and 1 un-numbered binding", text);
        Assert.Matches(@"\*\s+gelu_tanh_has_vjp\s+GELU VJP, tanh form.*checked by: symbolic, .*oracle", text);
        Assert.Contains("variant of gelu_has_vjp (gelu-forms, native-kernel): geluTanh(x) = ½·x·(1 + tanh(u))", text);
    }

    [Fact]
    public void AnItemMissingFromTheLedger_IsNamed()
    {
        var ledger = ProofsLedger.LoadDefault();
        var without = ledger.With(i => i.Name == ItemId.dense_has_vjp ? i with { Name = "renamed_item" } : i);
        var e = Assert.Throws<InvalidOperationException>(() => NetworkDerivation.Of(NetCatalog.Find("mnist-mlp")!.Spec, without));
        Assert.Contains("dense_has_vjp", e.Message);
    }
}
