namespace LeanMlirVerify.FiniteDifference.Ledger;

using LeanMlirVerify.Calculus.Ledger;

/// <summary>
/// The ledger's evidence lists against this project's [Evidence] attributes and [EvidenceFrom] tables (kinds: symbolic,
/// finite-difference, property, adjoint).
/// </summary>
public class LedgerEvidenceTests
{
    [Fact]
    public void Ledger_EvidenceListsMatchEvidenceAttributes()
    {
        var report = EvidenceSync.Sync(typeof(LedgerEvidenceTests).Assembly, EvidenceSync.FiniteDifferenceKinds);
        Assert.True(report.Clean, "evidence drift:\n" + report.Describe(EvidenceSync.FixCommand("tests/FiniteDifference")));
    }

    [Fact]
    public void Ledger_EveryDeclaredRequiredEvidenceKindIsPresent()
    {
        Assert.Empty(EvidenceSync.MissingRequiredEvidence(LedgerFixtures.Repository()));
    }
}
