namespace LeanMlirVerify.FiniteDifference.Ledger;

using LeanMlirVerify.Calculus.Ledger;

public class LedgerReportsTests
{
    static ProofsLedger Real => LedgerFixtures.Repository();

    [Fact]
    public void Budget_ReproducesTheBooksTable()
    {
        var rows = LedgerReports.Budget(Real);
        Assert.Equal(BookFacts.Budget.Select(b => (b.Chapter, b.Axioms, b.Theorems, b.Definitions, b.LastNumber)),
            rows.Select(r => (r.Chapter, r.New.A, r.New.T, r.New.D, r.LastNumber)));
        Assert.Equal((10, 65, 6), rows.Single(r => r.Chapter == 10).Cumulative);
        Assert.Equal((5, 43, 3), rows.Single(r => r.Chapter == 6).Cumulative);
        Assert.Equal("+ ResNet-34", rows.Single(r => r.Chapter == 6).Unlocks);
    }

    [Fact]
    public void BudgetText_PrintsOneRowPerChapter()
    {
        var lines = LedgerReports.BudgetText(Real).TrimEnd().Split('\n');
        Assert.Equal(11, lines.Length);
        Assert.Matches(@"^7 \(Depthwise Convolution\) +1 \+ 2 \+ 1 +6 \+ 45 \+ 4 +55  \+ MobileNet V2$", lines[6]);
    }

    [Fact]
    public void Why_MlpHasVjp_RestsOnTheReluAxioms_WithAPathToEach()
    {
        var why = LedgerGraph.Why(Real, Real[ItemId.mlp_has_vjp]);
        Assert.Equal([ItemId.pdiv_relu, ItemId.relu_has_vjp, ItemId.mlp_has_vjp], why.Axioms.Select(p => p.Root.Name));
        Assert.Equal([ItemId.mlp_has_vjp, ItemId.relu_has_vjp, ItemId.pdiv_relu], why.Axioms[0].Path.Select(i => i.Name));
        Assert.Equal([ItemId.pdiv], why.Definitions.Select(p => p.Root.Name));
    }

    [Fact]
    public void Why_VitBody_RestsOnTheMultiHeadAxiom_ThroughTheAttentionSublayer()
    {
        var why = LedgerGraph.Why(Real, Real[ItemId.vit_body_has_vjp_mat]);
        var path = Assert.Single(why.Axioms).Path.Select(i => i.Name);
        Assert.Equal([ItemId.vit_body_has_vjp_mat, ItemId.transformerTower_has_vjp_mat, ItemId.transformerBlock_has_vjp_mat,
            ItemId.transformerAttnSublayer_has_vjp_mat, ItemId.mhsa_has_vjp_mat], path);
        string text = LedgerReports.WhyText(why);
        Assert.Contains("rests on 1 axiom:", text);
        Assert.Contains("Axiom 68 mhsa_has_vjp_mat: vit_body_has_vjp_mat → transformerTower_has_vjp_mat", text);
    }

    [Fact]
    public void Why_ATheoremOfPureCalculus_RestsOnNoAxiom()
    {
        var why = LedgerGraph.Why(Real, Real[ItemId.bn_has_vjp]);
        Assert.Empty(why.Axioms);
        Assert.Contains("rests on no axiom", LedgerReports.WhyText(why));
    }

    [Fact]
    public void Show_PrintsStatementConventionsAndUsers()
    {
        string text = LedgerReports.ShowText(Real, Real[ItemId.maxPool2_has_vjp3]);
        Assert.StartsWith("Axiom 43 maxPool2_has_vjp3: MaxPool input VJP\n", text);
        Assert.Contains("Uses: Definition 42 maxPool2", text);
        Assert.Contains("first maximum in row-major window order", text);
        Assert.Contains("The book's FD check: maxPool2_input_grad", text);
        Assert.Contains("finite-difference: LeanMlirVerify.FiniteDifference.Vjp.Checking.BookCheckTests." +
            "MaxPool2InputGrad_MatchesCentralDifference", text);
    }

    [Fact]
    public void Show_PrintsEachReferencedConventionByIdWithItsText()
    {
        string text = LedgerReports.ShowText(Real, Real[ItemId.gelu_has_vjp]);
        Assert.Contains("\nConvention gelu-forms:\n  GELU: the ledger's Definition 57 is the exact erf form;", text);
        Assert.Contains("Convention bn-statistics:", LedgerReports.ShowText(Real, Real[ItemId.bn_has_vjp]));
    }

    [Fact]
    public void Show_SaysWhenAnItemHasNoEvidenceYet()
    {
        var ledger = Real.With(i => i.Name == ItemId.maxPool2_has_vjp3 ? i with { Evidence = [] } : i);
        Assert.Contains("Evidence: none yet", LedgerReports.ShowText(ledger, ledger[ItemId.maxPool2_has_vjp3]));
    }
}
