namespace LeanMlirVerify.FiniteDifference.Ledger;

using LeanMlirVerify.Calculus.Ledger;

public class LedgerLoaderTests
{
    [Fact]
    public void Load_RepositoryLedger_Holds103ItemsNumbered1To103()
    {
        var ledger = LedgerFixtures.Repository();
        Assert.Equal(Enumerable.Range(1, 103), ledger.Items.Select(i => i.Number));
        Assert.Equal(10, ledger.Chapters.Count);
        Assert.Equal("pdiv_relu", ledger[ItemId.pdiv_relu].Name);
        Assert.Equal(ItemKind.Axiom, ledger[ItemId.pdiv_relu].Kind);
        Assert.Equal(3, ledger[ItemId.pdiv_relu].Chapter);
    }

    [Fact]
    public void Load_FixesTheBlueprintsDanglingPdivFinsetSum_ToTheorem9()
    {
        var ledger = LedgerFixtures.Repository();
        string[] users =
        [
            ItemId.pdiv_dense, ItemId.pdiv_dense_W, ItemId.conv2d_weight_grad_has_vjp, ItemId.pdiv_bnCentered,
            ItemId.depthwise_weight_grad_has_vjp3,
        ];
        foreach (string user in users)
            Assert.Contains(ItemId.pdiv_finset_sum, ledger[user].Uses);
        Assert.Equal(9, ledger[ItemId.pdiv_finset_sum].Number);
    }

    [Fact]
    public void Load_ReadsEveryFieldOfTheValidFixture()
    {
        var ledger = LedgerFixtures.Valid();
        var axiom = ledger["relu_ax"];
        Assert.Equal(3, axiom.Number);
        Assert.Equal(ItemKind.Axiom, axiom.Kind);
        Assert.Equal(AxiomBucket.SubgradientAtKink, axiom.AxiomBucket);
        Assert.Equal("pdiv_relu", axiom.FdCheck);
        Assert.Equal(["relu-kink"], axiom.Conventions);
        Assert.Equal("ReLU'(0) = 0.", ledger.Convention("relu-kink").Text);
        Assert.Equal(new SourceLocation("conventions.yaml", 3), ledger.Convention("relu-kink").Source);
        Assert.Equal(new SourceLocation("ch03-small.yaml", 6), axiom.Source);
        Assert.Equal([EvidenceKind.Symbolic], ledger["pdiv_comp"].RequiresEvidence);
        Assert.Equal([new EvidenceEntry(EvidenceKind.Oracle, "Fixture.OracleChecks.ChainRule")], ledger["pdiv_comp"].Evidence);
        Assert.Equal("Small: two items", ledger.Chapters[1].Title);
        Assert.Equal(["relu_net"], ledger.Targets.Single().Headline);
    }

    [Fact]
    public void Load_RejectsUnknownKind_NamingFileItemAndTheValidKinds()
    {
        var finding = Assert.Single(LedgerFixtures.Findings("unknown-kind"));
        Assert.Equal("ch02-broken.yaml:6: item 1 pdiv: unknown kind 'lemma'; expected one of: axiom, theorem, definition", finding);
    }

    [Fact]
    public void Load_RejectsMissingField_NamingFileAndItem()
    {
        var finding = Assert.Single(LedgerFixtures.Findings("missing-field"));
        Assert.Equal("ch02-broken.yaml:5: item 1 pdiv: missing field 'statement'", finding);
    }

    [Fact]
    public void Load_RejectsUnknownField_NamingFileAndItem()
    {
        var finding = Assert.Single(LedgerFixtures.Findings("unknown-field"));
        Assert.Equal("ch02-broken.yaml:11: item 1 pdiv: unknown field 'proof'", finding);
    }

    [Fact]
    public void Load_RejectsAnUnknownConventionId_NamingFileLineAndItem()
    {
        var finding = Assert.Single(LedgerFixtures.Findings("unknown-convention"));
        Assert.Equal(
            "ch02-broken.yaml:20: item 2 pdiv_relu: convention 'relu-knik' is not defined in conventions.yaml (defined: relu-kink)",
            finding);
    }

    [Fact]
    public void Load_RejectsAConventionNoItemReferences_AndADuplicateId()
    {
        string dir = LedgerFixtures.CopyToTemp("valid");
        try
        {
            string chapter = Path.Combine(dir, "ch03-small.yaml"), conventions = Path.Combine(dir, "conventions.yaml");
            File.WriteAllText(chapter, File.ReadAllText(chapter).Replace("    conventions: [relu-kink]\n", ""));
            var unused = Assert.Single(Assert.Throws<LedgerException>(() => ProofsLedger.Load(dir)).Findings);
            Assert.Equal("conventions.yaml:3: convention relu-kink: is referenced by no item", unused.ToString());

            File.AppendAllText(conventions, "\n  - id: relu-kink\n    text: |-\n      again\n");
            var e = Assert.Throws<LedgerException>(() => ProofsLedger.Load(dir));
            Assert.Contains("conventions.yaml:7: convention relu-kink: duplicate convention id 'relu-kink' (also at conventions.yaml:3)",
                e.Findings.Select(f => f.ToString()));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Load_RejectsDanglingUse_NamingFileAndItem()
    {
        var finding = Assert.Single(LedgerFixtures.Findings("dangling-use"));
        Assert.Equal("ch02-broken.yaml:12: Theorem 2 pdiv_comp: uses 'pdiv_finset_sum', which is not a ledger item (dangling edge)",
            finding);
    }

    [Fact]
    public void Load_RejectsForwardUse_NamingFileAndItem()
    {
        var finding = Assert.Single(LedgerFixtures.Findings("forward-use"));
        Assert.StartsWith("ch02-broken.yaml:5: Definition 1 pdiv: uses 'pdiv_comp' (Theorem 2 pdiv_comp), which does not come before it",
            finding);
    }

    [Fact]
    public void Load_RejectsCycle_NamingEveryItemOnIt()
    {
        var findings = LedgerFixtures.Findings("cycle");
        Assert.Contains("ch02-broken.yaml:5: Theorem 1 alpha: cycle in uses: alpha → gamma → beta → alpha", findings);
        Assert.Contains(findings, f => f.Contains("Theorem 1 alpha: uses 'gamma'") && f.Contains("forward edge"));
    }

    [Fact]
    public void Load_RejectsDuplicateNumber_NamingBothItems()
    {
        var finding = Assert.Single(LedgerFixtures.Findings("duplicate-number"));
        Assert.Equal("ch02-broken.yaml:12: Theorem 1 pdiv_comp: duplicate number 1 (also Definition 1 pdiv at ch02-broken.yaml:5)",
            finding);
    }

    [Fact]
    public void Load_RejectsDuplicateName_NamingBothItems()
    {
        var finding = Assert.Single(LedgerFixtures.Findings("duplicate-name"));
        Assert.Equal("ch02-broken.yaml:12: Theorem 2 pdiv: duplicate name 'pdiv' (also Definition 1 pdiv at ch02-broken.yaml:5)", finding);
    }

    [Fact]
    public void Load_RejectsADuplicateKey_NamingFileAndLine()
    {
        var finding = Assert.Single(LedgerFixtures.Findings("duplicate-key"));
        Assert.StartsWith("ch02-broken.yaml:", finding);
        Assert.Contains("Duplicate key", finding);
    }

    [Fact]
    public void Load_ReportsEveryFinding_NotOnlyTheFirst()
    {
        string dir = LedgerFixtures.CopyToTemp("valid");
        try
        {
            string path = Path.Combine(dir, "ch03-small.yaml");
            File.WriteAllText(path, File.ReadAllText(path)
                .Replace("kind: axiom", "kind: lemma").Replace("uses: [pdiv_comp, relu_ax]", "uses: [pdiv_comp, nowhere]"));
            var e = Assert.Throws<LedgerException>(() => ProofsLedger.Load(dir));
            Assert.Equal(2, e.Findings.Count);
            Assert.Contains("ch03-small.yaml", e.Message);
            Assert.Contains("unknown kind 'lemma'", e.Message);
            Assert.Contains("uses 'nowhere'", e.Message);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Location_FindsTheRepositoryLedger_FromTheTestAssemblyFolder()
    {
        string dir = LedgerLocation.DefaultDirectory();
        Assert.Equal("proofs-ledger", Path.GetFileName(dir));
        Assert.True(File.Exists(Path.Combine(dir, "..", LedgerLocation.SolutionFile)));
    }
}
