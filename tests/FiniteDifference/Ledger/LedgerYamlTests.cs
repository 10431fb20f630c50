namespace LeanMlirVerify.FiniteDifference.Ledger;

using LeanMlirVerify.Calculus.Ledger;

/// <summary>
/// A YAML syntax error is one finding at file:line:column saying what the parser expected, and what the broken file
/// (or item) would have defined is not reported again as missing by the checks that refer to it.
/// </summary>
public class LedgerYamlTests
{
    /// <summary>The findings of a copy of <paramref name="fixture"/> after <paramref name="edit"/> rewrote some of its files.</summary>
    static IReadOnlyList<string> FindingsAfter(string fixture, Action<string> edit)
    {
        string dir = fixture == "repository" ? CopyRepositoryLedger() : LedgerFixtures.CopyToTemp(fixture);
        try
        {
            edit(dir);
            var e = Assert.Throws<LedgerException>(() => ProofsLedger.Load(dir));
            return e.Findings.Select(f => f.ToString()).ToList();
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    static string CopyRepositoryLedger()
    {
        string target = Path.Combine(Path.GetTempPath(), "lmv-ledger-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(target);
        foreach (string file in Directory.GetFiles(LedgerLocation.DefaultDirectory(), "*.yaml"))
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        return target;
    }

    static void Replace(string dir, string file, string from, string to)
    {
        string path = Path.Combine(dir, file);
        string text = File.ReadAllText(path);
        Assert.Contains(from, text);
        int at = text.IndexOf(from, StringComparison.Ordinal);
        File.WriteAllText(path, text[..at] + to + text[(at + from.Length)..]);
    }

    [Fact]
    public void UnclosedBracket_InTheRepositoryLedger_IsOneFindingAtTheBracket_WithNoDanglingUsesOrTargets()
    {
        // Issue 12: this edit gave "YAML syntax error: Operation is not valid..." with no line, then ten dangling uses
        // and target headlines naming ch03's items.
        var findings = FindingsAfter("repository", dir => Replace(dir, "ch03-mlp.yaml", "    uses: [pdiv]\n", "    uses: [pdiv\n"));
        Assert.Equal(["ch03-mlp.yaml:45:11: YAML syntax error: '[' is never closed (expected ',' or ']')"], findings);
    }

    [Fact]
    public void UnclosedBracket_StillLeavesAGenuineDanglingUseInAnotherFileReported()
    {
        var findings = FindingsAfter("repository", dir =>
        {
            Replace(dir, "ch03-mlp.yaml", "    uses: [pdiv]\n", "    uses: [pdiv\n");
            Replace(dir, "ch08-squeeze-excitation.yaml", "uses: [", "uses: [nowhere, ");
        });
        Assert.Equal(
        [
            "ch03-mlp.yaml:45:11: YAML syntax error: '[' is never closed (expected ',' or ']')",
            "ch08-squeeze-excitation.yaml:6: Theorem 56 seBlock_has_vjp: uses 'nowhere', which is not a ledger item (dangling edge)",
        ], findings);
    }

    [Fact]
    public void UnclosedBracket_AtTheEndOfTheFile_IsReportedAtTheBracket()
    {
        var findings = FindingsAfter("valid", dir =>
            Replace(dir, "ch02-foundation.yaml", "check: Fixture.OracleChecks.ChainRule}", "check: Fixture.OracleChecks.ChainRule"));
        Assert.Equal(["ch02-foundation.yaml:24:9: YAML syntax error: '{' is never closed (expected ',' or '}')"], findings);
    }

    [Fact]
    public void UnclosedBrace_BeforeMoreFields_IsReportedAtTheBrace_AndTheOtherFileDoesNotCascade()
    {
        // ch03-small.yaml uses pdiv and pdiv_comp (both in the broken file); targets.yaml names relu_net (in ch03).
        var findings = FindingsAfter("valid", dir => Replace(dir, "ch02-foundation.yaml", "uses: [pdiv]", "uses: {pdiv"));
        Assert.Equal(["ch02-foundation.yaml:21:11: YAML syntax error: '{' is never closed (expected ',' or '}')"], findings);
    }

    [Fact]
    public void UnclosedQuote_IsReportedWithTheParsersOwnWords_AtLineAndColumn()
    {
        var finding = Assert.Single(LedgerFixtures.Findings("syntax-error"));
        Assert.Equal("ch02-broken.yaml:8:12: YAML syntax error: While scanning a multi-line double-quoted scalar, found wrong indentation.",
            finding);
    }

    [Fact]
    public void BrokenTargetsFile_IsOneFinding()
    {
        var findings = FindingsAfter("valid", dir => Replace(dir, "targets.yaml", "headline: [relu_net]", "headline: [relu_net"));
        Assert.Equal(["targets.yaml:6:15: YAML syntax error: '[' is never closed (expected ',' or ']')"], findings);
    }

    [Fact]
    public void AnItemThatCannotBeRead_IsNotAlsoReportedAsADanglingUse()
    {
        // relu_net uses relu_ax; with relu_ax's kind unknown, the item is dropped and that is the only finding.
        var findings = FindingsAfter("valid", dir => Replace(dir, "ch03-small.yaml", "kind: axiom", "kind: lemma"));
        Assert.Equal(["ch03-small.yaml:7: item 3 relu_ax: unknown kind 'lemma'; expected one of: axiom, theorem, definition"], findings);
    }

    [Fact]
    public void NamesIn_ReadsTheNameLinesOfAFileThatIsNotYaml()
    {
        const string text = "items:\n  - number: 1\n    name: pdiv\n    uses: [x\n  - name: 'quoted_one'\n    title: name: not_this\n";
        Assert.Equal(["pdiv", "quoted_one"], LedgerYaml.NamesIn(text));
    }
}
