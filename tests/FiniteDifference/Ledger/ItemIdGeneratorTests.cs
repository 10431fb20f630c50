namespace LeanMlirVerify.FiniteDifference.Ledger;

using LeanMlirVerify.Calculus.Ledger;

public class ItemIdGeneratorTests
{
    [Fact]
    public void CommittedItemIdFile_EqualsWhatTheGeneratorProduces()
    {
        string path = Path.Combine(LedgerFixtures.RepositoryRoot(), ItemIdGenerator.RelativePath);
        string expected = ItemIdGenerator.Generate(LedgerFixtures.Repository());
        Assert.True(File.ReadAllText(path) == expected,
            $"{ItemIdGenerator.RelativePath} drifted from the ledger; run `./lmv ledger codegen`");
    }

    [Fact]
    public void Generator_EmitsOneDocumentedConstantPerItem()
    {
        string text = ItemIdGenerator.Generate(LedgerFixtures.Valid());
        Assert.Contains("    /// <summary>Axiom 3 (ch. 3): ReLU Jacobian.</summary>\n" +
            "    public const string relu_ax = nameof(relu_ax);\n", text);
        Assert.Equal(4, text.Split('\n').Count(l => l.Contains("public const string")));
    }
}
