namespace LeanMlirVerify.FiniteDifference.Ledger;

using LeanMlirVerify.Calculus.Ledger;

/// <summary>Paths of the small fixture ledgers (copied next to the test assembly) and the repository's own ledger.</summary>
static class LedgerFixtures
{
    public static string Directory(string name) => Path.Combine(AppContext.BaseDirectory, "Ledger", "Fixtures", name);

    public static ProofsLedger Valid() => ProofsLedger.Load(Directory("valid"));

    public static string RepositoryRoot() =>
        LedgerLocation.FindRepositoryRoot() ?? throw new InvalidOperationException("tests must run inside the repository");

    static readonly Lazy<ProofsLedger> Real = new(ProofsLedger.LoadDefault);

    /// <summary>The repository's proofs-ledger/, loaded once per test run (it is immutable).</summary>
    public static ProofsLedger Repository() => Real.Value;

    /// <summary>A fresh copy of a fixture ledger in a temporary folder, for tests that rewrite files.</summary>
    public static string CopyToTemp(string name)
    {
        string target = Path.Combine(Path.GetTempPath(), "lmv-ledger-test-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(target);
        foreach (string file in System.IO.Directory.GetFiles(Directory(name)))
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        return target;
    }

    /// <summary>Loads a ledger that must be malformed and returns its findings as text lines.</summary>
    public static IReadOnlyList<string> Findings(string name)
    {
        var e = Assert.Throws<LedgerException>(() => ProofsLedger.Load(Directory(name)));
        return e.Findings.Select(f => f.ToString()).ToList();
    }
}
