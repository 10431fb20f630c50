namespace LeanMlirVerify.FiniteDifference.Ledger;

using LeanMlirVerify.Calculus.Ledger;

public class LedgerAuditTests
{
    static ProofsLedger Real => LedgerFixtures.Repository();

    static ProofsLedger Without(ProofsLedger ledger, string name) =>
        new(ledger.Directory, ledger.Chapters.Select(c => c with { Items = c.Items.Where(i => i.Name != name).ToList() }).ToList(),
            ledger.Targets);

    [Fact]
    public void Audit_RepositoryLedger_PassesWithTheBooksCounts()
    {
        var report = LedgerAudit.Run(Real, compareItemIds: true);
        Assert.True(report.Passed, string.Join("\n", report.Findings));
        Assert.Equal("103 items: 10 axioms, 65 theorems, 28 definitions", report.Summary);
    }

    [Fact]
    public void Audit_RejectsAGapInTheNumbering()
    {
        var report = LedgerAudit.Run(Without(Real, ItemId.pdiv_id), compareItemIds: false);
        Assert.Contains(report.Findings, f => f.Problem == "numbering has gaps: no item 5 (expected 1..103)");
        Assert.Contains(report.Findings, f => f.File == "ch02-you-are-here.yaml" && f.Problem.Contains("chapter 2 has 0 + 26 + 1"));
    }

    [Fact]
    public void Audit_RejectsAChapterBudgetThatDiffersFromTheBooksTable()
    {
        var ledger = Real.With(i => i.Name == ItemId.residual_has_vjp ? i with { Kind = ItemKind.Definition } : i);
        var report = LedgerAudit.Run(ledger, compareItemIds: true);
        Assert.Contains(report.Findings, f => f.File == "ch06-residual.yaml"
            && f.Problem == "chapter 6 has 0 + 0 + 1 (ax + th + def); the book's budget table says 0 + 1 + 0");
        Assert.Contains(report.Findings, f => f.Problem.StartsWith("counts are 10 axioms, 64 theorems, 29 definitions"));
        Assert.Contains(report.Findings, f => f.Problem.StartsWith("items 1–81 are 10 + 64 + 7"));
    }

    [Fact]
    public void Audit_RejectsAnAxiomWithNeitherFdCheckNorReason_NamingFileAndItem()
    {
        var ledger = Real.With(i => i.Name == ItemId.conv2d_has_vjp3 ? i with { FdCheck = null } : i);
        var finding = Assert.Single(LedgerAudit.Run(ledger, compareItemIds: true).Findings);
        Assert.Equal("ch04-cnn.yaml", finding.File);
        Assert.Equal("Axiom 39 conv2d_has_vjp3", finding.Item);
        Assert.Equal("axiom with neither an fd_check nor a no_fd_reason", finding.Problem);
    }

    [Fact]
    public void Audit_RejectsAnFdCheckTheBookDoesNotHave()
    {
        var ledger = Real.With(i => i.Name == ItemId.pdiv_relu ? i with { FdCheck = "relu_check" } : i);
        var finding = Assert.Single(LedgerAudit.Run(ledger, compareItemIds: true).Findings);
        Assert.Equal("Axiom 31 pdiv_relu", finding.Item);
        Assert.StartsWith("fd_check 'relu_check' is not one of the book's 25 FD checks", finding.Problem);
    }

    [Fact]
    public void Audit_RejectsAnAxiomOutsideTheBooksBuckets()
    {
        var ledger = Real.With(i => i.Name == ItemId.relu_has_vjp ? i with { AxiomBucket = AxiomBucket.BundledInputVjp } : i);
        var problems = LedgerAudit.Run(ledger, compareItemIds: true).Findings.Select(f => f.Problem).ToList();
        Assert.Contains("axiom bucket subgradient-at-kink holds 2 axioms; the book's Appendix B.1 has 3", problems);
        Assert.Contains("axiom bucket bundled-input-vjp holds 4 axioms; the book's Appendix B.1 has 3", problems);
    }

    [Fact]
    public void Audit_RejectsARenamedItem_WhoseItemIdConstantIsNowStale()
    {
        var ledger = Real.With(i => i.Name == ItemId.mlp_has_vjp ? i with { Name = "mlp_vjp" } : i);
        var problems = LedgerAudit.Run(ledger, compareItemIds: true).Findings.Select(f => $"{f.Item}: {f.Problem}").ToList();
        Assert.Equal(3, problems.Count);
        Assert.Contains("target mlp: headline item 'mlp_has_vjp' is not a ledger item", problems);
        Assert.Contains(problems, p => p.StartsWith("item mlp_vjp: has no ItemId constant; run `./lmv ledger codegen`"));
        Assert.Contains(problems, p => p.StartsWith("ItemId.mlp_has_vjp: names no ledger item"));
    }

    [Fact]
    public void Audit_OfTheValidFixture_ReportsOnlyTheBooksCounts_NotItsNames()
    {
        var problems = LedgerAudit.Run(LedgerFixtures.Valid(), compareItemIds: false).Findings.Select(f => f.Problem).ToList();
        Assert.Contains("counts are 1 axioms, 2 theorems, 1 definitions; the book has 10, 65, 28", problems);
        Assert.DoesNotContain(problems, p => p.Contains("ItemId"));
    }

    [Fact]
    public void Audit_RejectsAxiomFieldsOnATheorem()
    {
        var ledger = Real.With(i => i.Name == ItemId.pdiv_dense ? i with { NoFdReason = "none" } : i);
        var finding = Assert.Single(LedgerAudit.Run(ledger, compareItemIds: true).Findings);
        Assert.Equal("Theorem 29 pdiv_dense", finding.Item);
    }

    [Fact]
    public void Audit_EveryAxiomHasABucketAReasonAndAnFdCheckOrAReasonForNone()
    {
        var axioms = Real.Items.Where(i => i.IsAxiom).ToList();
        Assert.Equal(10, axioms.Count);
        Assert.Equal(["relu_has_vjp", "mhsa_layer_flat_diff", "patchEmbed_flat_diff"],
            axioms.Where(a => a.FdCheck is null).Select(a => a.Name));
        Assert.All(axioms, a => Assert.False(string.IsNullOrWhiteSpace(a.WhyAxiom)));
        Assert.Equal("conv2d_input_grad", Real[ItemId.conv2d_has_vjp3].FdCheck);
    }

    [Fact]
    public void Ledger_SaysCheckedNeverProvedInItsOwnProse()
    {
        // "proved" may appear only where the book's own wording is quoted; our prose says "checked".
        var offenders = Real.Items.SelectMany(i => new[] { i.Statement, i.WhyAxiom, i.NoFdReason, i.Notes }
                .OfType<string>().Select(text => (i.Name, text)))
            .Concat(Real.Conventions.Select(c => (Name: c.Id, text: c.Text)))
            .Where(p => p.text.Contains("proved", StringComparison.OrdinalIgnoreCase)
                || p.text.Contains("verified", StringComparison.OrdinalIgnoreCase))
            .Select(p => p.Name).ToList();
        Assert.Empty(offenders);
    }
}
