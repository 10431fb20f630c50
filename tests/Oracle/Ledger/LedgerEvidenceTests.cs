namespace LeanMlirVerify.Oracle.Ledger;

using LeanMlirVerify.Calculus.Ledger;

/// <summary>The ledger's oracle evidence lists against this project's [Evidence(..., Oracle)] attributes.</summary>
public class LedgerEvidenceTests
{
    [Fact]
    public void Ledger_EvidenceListsMatchEvidenceAttributes()
    {
        var report = EvidenceSync.Sync(typeof(LedgerEvidenceTests).Assembly, EvidenceSync.OracleKinds);
        Assert.True(report.Clean, "evidence drift:\n" + report.Describe(EvidenceSync.FixCommand("tests/Oracle")));
    }
}
