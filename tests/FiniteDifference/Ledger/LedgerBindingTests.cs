namespace LeanMlirVerify.FiniteDifference.Ledger;

using LeanMlirVerify.Calculus.Ledger;

/// <summary>
/// Un-numbered bindings (proofs-ledger/bindings.yaml): a rule the runtime runs whose function is not a numbered item's
/// has its own entry, outside the book's 103 items and their counts, and is read as strictly as a chapter file.
/// </summary>
public class LedgerBindingTests
{
    const string Valid = """
        bindings:
          - name: relu_leaky_has_vjp
            variant_of: relu_net
            title: Leaky ReLU VJP
            statement: |-
              dx = dy ⊙ (1 if x > 0 else 0.01).
            uses: [pdiv]
            evidence: []
        """;

    static (IReadOnlyList<LedgerItem> Bindings, List<LedgerFinding> Findings) Read(string text)
    {
        var findings = new List<LedgerFinding>();
        return (LedgerLoader.ReadBindings(LedgerLoader.BindingsFile, text, findings), findings);
    }

    static IReadOnlyList<string> StructureFindings(string text)
    {
        var valid = LedgerFixtures.Valid();
        var (bindings, findings) = Read(text);
        Assert.Empty(findings);
        var ledger = new ProofsLedger(valid.Directory, valid.Chapters, valid.Targets, valid.Conventions, bindings);
        return LedgerStructure.Check(ledger).Select(f => f.ToString()).ToList();
    }

    [Fact]
    public void RepositoryLedger_BindsTheTanhGeluBesideTheorem61_OutsideThe103Items()
    {
        var ledger = LedgerFixtures.Repository();
        var binding = Assert.Single(ledger.Bindings);
        Assert.Equal(ItemId.gelu_tanh_has_vjp, binding.Name);
        Assert.Equal(ItemId.gelu_has_vjp, binding.VariantOf);
        Assert.Equal("Binding gelu_tanh_has_vjp", binding.Label);
        Assert.Contains("gelu-forms", binding.Conventions);
        Assert.Null(ledger.Find(ItemId.gelu_tanh_has_vjp));
        Assert.Same(binding, ledger.FindEntry(ItemId.gelu_tanh_has_vjp));
        Assert.Equal(103, ledger.Items.Count);
        Assert.Contains("erf", ledger[ItemId.gelu_has_vjp].Statement + ledger[ItemId.geluScalar].Statement);
    }

    [Fact]
    public void ABinding_IsReadWithEveryField_AndWrittenBackIdentically()
    {
        var (bindings, findings) = Read(Valid);
        Assert.Empty(findings);
        var b = Assert.Single(bindings);
        Assert.Equal(("relu_leaky_has_vjp", "relu_net", 0, ItemKind.Theorem), (b.Name, b.VariantOf, b.Number, b.Kind));
        Assert.Equal(["pdiv"], b.Uses);
        var again = Read(LedgerWriter.WriteBindings(bindings)).Bindings;
        Assert.Equal(LedgerWriter.WriteBindings(bindings), LedgerWriter.WriteBindings(again));
        Assert.Empty(StructureFindings(Valid));
    }

    [Fact]
    public void AnUnknownFieldOrAMissingVariant_IsAFindingNamingTheBinding()
    {
        var (_, unknown) = Read(Valid.Replace("    uses:", "    number: 7\n    uses:"));
        Assert.Contains(unknown, f => f.ToString().Contains("binding relu_leaky_has_vjp") && f.ToString().Contains("number"));
        var (none, missing) = Read(Valid.Replace("    variant_of: relu_net\n", ""));
        Assert.Empty(none);
        Assert.Contains(missing, f => f.ToString().Contains("variant_of"));
    }

    [Fact]
    public void AVariantOrUseThatIsNoNumberedItem_AndANameTakenByAnItem_AreFindings()
    {
        Assert.Contains(StructureFindings(Valid.Replace("variant_of: relu_net", "variant_of: nothing_here")),
            f => f.Contains("variant_of 'nothing_here'"));
        Assert.Contains(StructureFindings(Valid.Replace("uses: [pdiv]", "uses: [missing_item]")),
            f => f.Contains("uses 'missing_item'") && f.Contains("dangling"));
        Assert.Contains(StructureFindings(Valid.Replace("name: relu_leaky_has_vjp", "name: relu_ax")),
            f => f.Contains("duplicate name 'relu_ax'"));
    }
}
