namespace LeanMlirVerify.Calculus.Ledger;

/// <summary>One problem in the ledger: the file, the line where known, the item it concerns, and what is wrong.</summary>
public sealed record LedgerFinding(string File, int Line, string? Item, string Problem)
{
    public override string ToString()
    {
        string where = Line > 0 ? $"{File}:{Line}" : File;
        return Item is null ? $"{where}: {Problem}" : $"{where}: {Item}: {Problem}";
    }
}

/// <summary>The ledger could not be read: every finding, each naming its file, item and problem.</summary>
public sealed class LedgerException(IReadOnlyList<LedgerFinding> findings)
    : Exception($"the proofs-ledger is malformed ({findings.Count} finding{(findings.Count == 1 ? "" : "s")}):"
        + Environment.NewLine + string.Join(Environment.NewLine, findings.Select(f => "  " + f)))
{
    public IReadOnlyList<LedgerFinding> Findings { get; } = findings;
}
