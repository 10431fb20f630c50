namespace LeanMlirVerify.Calculus.Ledger;

/// <summary>One problem in the ledger: the file, the line (and column) where known, the item it concerns, and what is wrong.</summary>
public sealed record LedgerFinding(string File, int Line, string? Item, string Problem, int Column = 0)
{
    public override string ToString()
    {
        string where = Line <= 0 ? File : Column > 0 ? $"{File}:{Line}:{Column}" : $"{File}:{Line}";
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
