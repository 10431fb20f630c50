using System.Reflection;

namespace LeanMlirVerify.Calculus.Ledger;

/// <summary>The result of an audit: every finding, and the one-line count summary.</summary>
public sealed record AuditReport(IReadOnlyList<LedgerFinding> Findings, string Summary)
{
    public bool Passed => Findings.Count == 0;
}

/// <summary>
/// Holds the ledger to the book: numbering 1..103, the structure rules, the 10 + 65 + 28 counts and their split, the
/// per-chapter budget table, axioms with a bucket, a reason and an FD check or a written reason none can apply, FD
/// check names that exist in the book, and <see cref="ItemId"/> constants equal to the ledger's names.
/// </summary>
public static class LedgerAudit
{
    /// <param name="ledger">The ledger to audit.</param>
    /// <param name="compareItemIds">Also require the compiled <see cref="ItemId"/> constants to equal the ledger's names
    /// (true for the repository's own ledger; a fixture or foreign ledger has other names).</param>
    public static AuditReport Run(ProofsLedger ledger, bool compareItemIds)
    {
        var findings = new List<LedgerFinding>(LedgerStructure.Check(ledger));
        string ledgerFile = ledger.Chapters.FirstOrDefault()?.File ?? LedgerLocation.FolderName;
        void Global(string problem) => findings.Add(new(ledgerFile, 0, null, problem));
        void Item(LedgerItem item, string problem) => findings.Add(new(item.Source.File, item.Source.Line, item.Label, problem));

        var numbers = ledger.Items.Select(i => i.Number).ToHashSet();
        var missing = Enumerable.Range(1, BookFacts.ItemCount).Where(n => !numbers.Contains(n)).ToList();
        if (missing.Count > 0) Global($"numbering has gaps: no item {string.Join(", ", missing)} (expected 1..{BookFacts.ItemCount})");
        foreach (var item in ledger.Items.Where(i => i.Number < 1 || i.Number > BookFacts.ItemCount))
            Item(item, $"number {item.Number} is outside 1..{BookFacts.ItemCount}");

        var (ax, th, df) = Count(ledger.Items);
        if ((ax, th, df) != (BookFacts.Axioms, BookFacts.Theorems, BookFacts.Definitions))
            Global($"counts are {ax} axioms, {th} theorems, {df} definitions; " +
                $"the book has {BookFacts.Axioms}, {BookFacts.Theorems}, {BookFacts.Definitions}");
        var proof = Count(ledger.Items.Where(i => i.Number <= BookFacts.LastProofChapterItem));
        if (proof != (BookFacts.Axioms, BookFacts.Theorems, BookFacts.ProofChapterDefinitions))
            Global($"items 1–{BookFacts.LastProofChapterItem} are {Show(proof)}; " +
                $"the book has {BookFacts.Axioms} + {BookFacts.Theorems} + {BookFacts.ProofChapterDefinitions}");

        foreach (var expected in BookFacts.Budget)
        {
            var chapter = ledger.Chapters.FirstOrDefault(c => c.Number == expected.Chapter);
            if (chapter is null) { Global($"no chapter {expected.Chapter} file"); continue; }
            var actual = Count(chapter.Items);
            if (actual != (expected.Axioms, expected.Theorems, expected.Definitions))
                findings.Add(new(chapter.File, 0, null,
                    $"chapter {expected.Chapter} has {Show(actual)} (ax + th + def); " +
                    $"the book's budget table says {expected.Axioms} + {expected.Theorems} + {expected.Definitions}"));
            int last = chapter.Items.Count == 0 ? 0 : chapter.Items.Max(i => i.Number);
            if (last != expected.LastNumber)
                findings.Add(new(chapter.File, 0, null,
                    $"chapter {expected.Chapter} ends at item {last}; the book's table says {expected.LastNumber}"));
        }
        foreach (var chapter in ledger.Chapters.Where(c => BookFacts.Budget.All(b => b.Chapter != c.Number)))
            findings.Add(new(chapter.File, 0, null, $"chapter {chapter.Number} is not a chapter of the book's budget (2–11)"));

        foreach (var item in ledger.Items)
        {
            if (item.IsAxiom)
            {
                if (item.AxiomBucket is null) Item(item, "axiom without axiom_bucket (the book's four reasons an axiom stays one)");
                if (string.IsNullOrWhiteSpace(item.WhyAxiom)) Item(item, "axiom without why_axiom");
                if (item.FdCheck is null && string.IsNullOrWhiteSpace(item.NoFdReason))
                    Item(item, "axiom with neither an fd_check nor a no_fd_reason");
                if (item.FdCheck is not null && item.NoFdReason is not null) Item(item, "has both fd_check and no_fd_reason");
            }
            else
            {
                if (item.AxiomBucket is not null || item.WhyAxiom is not null || item.NoFdReason is not null)
                    Item(item, "axiom_bucket, why_axiom and no_fd_reason belong to axioms only");
            }
            if (item.FdCheck is { } fd && !BookFacts.FdChecks.Contains(fd))
                Item(item, $"fd_check '{fd}' is not one of the book's 25 FD checks: {string.Join(", ", BookFacts.FdChecks.Order())}");
        }
        foreach (var (bucket, size) in BookFacts.BucketSizes)
        {
            int n = ledger.Items.Count(i => i.IsAxiom && i.AxiomBucket == bucket);
            if (n != size)
                Global($"axiom bucket {LedgerVocabulary.BucketName(bucket)} holds {n} axioms; the book's Appendix B.1 has {size}");
        }

        if (compareItemIds) findings.AddRange(CheckItemIdConstants(ledger, ledgerFile));
        return new AuditReport(findings, $"{ledger.Items.Count} items: {ax} axioms, {th} theorems, {df} definitions");
    }

    /// <summary>
    /// The compiled <see cref="ItemId"/> class must hold exactly the ledger's names, the bindings' included (regenerate
    /// it otherwise).
    /// </summary>
    static IEnumerable<LedgerFinding> CheckItemIdConstants(ProofsLedger ledger, string file)
    {
        var constants = typeof(ItemId).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToHashSet();
        var names = ledger.Items.Concat(ledger.Bindings).Select(i => i.Name).ToHashSet();
        foreach (string name in names.Except(constants).Order())
            yield return new(file, 0, $"item {name}",
                $"has no ItemId constant; run `./lmv ledger codegen` to regenerate {ItemIdGenerator.RelativePath}");
        foreach (string name in constants.Except(names).Order())
            yield return new(file, 0, $"ItemId.{name}",
                $"names no ledger item; run `./lmv ledger codegen` to regenerate {ItemIdGenerator.RelativePath}");
    }

    public static (int Axioms, int Theorems, int Definitions) Count(IEnumerable<LedgerItem> items)
    {
        var list = items.ToList();
        return (list.Count(i => i.Kind == ItemKind.Axiom), list.Count(i => i.Kind == ItemKind.Theorem),
            list.Count(i => i.Kind == ItemKind.Definition));
    }

    public static string Show((int A, int T, int D) c) => $"{c.A} + {c.T} + {c.D}";
}
