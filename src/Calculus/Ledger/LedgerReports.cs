using System.Text;

namespace LeanMlirVerify.Calculus.Ledger;

/// <summary>One row of the per-chapter budget, computed from the ledger.</summary>
public sealed record BudgetRow(
    int Chapter, string Title, (int A, int T, int D) New, (int A, int T, int D) Cumulative, int LastNumber, string Unlocks);

/// <summary>The plain-text reports of <c>lmv ledger budget | why | show</c>.</summary>
public static class LedgerReports
{
    public static IReadOnlyList<BudgetRow> Budget(ProofsLedger ledger)
    {
        var rows = new List<BudgetRow>();
        (int A, int T, int D) total = (0, 0, 0);
        foreach (var chapter in ledger.Chapters)
        {
            var n = LedgerAudit.Count(chapter.Items);
            total = (total.A + n.Axioms, total.T + n.Theorems, total.D + n.Definitions);
            int last = chapter.Items.Count == 0 ? 0 : chapter.Items.Max(i => i.Number);
            rows.Add(new BudgetRow(chapter.Number, chapter.Title, n, total, last, chapter.Unlocks));
        }
        return rows;
    }

    public static string BudgetText(ProofsLedger ledger)
    {
        var rows = Budget(ledger);
        var table = new List<string[]> { new[] { "Chapter", "New (ax + th + def)", "Cumulative", "Last #", "Architectures unlocked" } };
        table.AddRange(rows.Select(r => new[]
        {
            $"{r.Chapter} ({r.Title})", LedgerAudit.Show(r.New), LedgerAudit.Show(r.Cumulative), r.LastNumber.ToString(), r.Unlocks,
        }));
        var widths = Enumerable.Range(0, 5).Select(c => table.Max(r => r[c].Length)).ToArray();
        var w = new StringBuilder();
        foreach (var row in table)
            w.Append(string.Join("  ", row.Select((cell, c) => c == 3 ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]))).TrimEnd())
                .Append('\n');
        return w.ToString();
    }

    public static string WhyText(WhyReport why)
    {
        var w = new StringBuilder();
        var item = why.Item;
        static string Path(DependencyPath p) => string.Join(" → ", p.Path.Select(i => i.Name));
        string bucketName = item.AxiomBucket is { } b ? LedgerVocabulary.BucketName(b) : "none";
        if (item.IsAxiom) w.Append($"{item.Label} is itself an axiom (bucket: {bucketName}).\n");
        var others = why.Axioms.Where(p => p.Root.Name != item.Name).ToList();
        if (others.Count == 0) w.Append($"{item.Label} rests on no axiom{(item.IsAxiom ? " besides itself" : "")}.\n");
        else
        {
            w.Append($"{item.Label} rests on {others.Count} axiom{(others.Count == 1 ? "" : "s")}:\n");
            foreach (var p in others) w.Append($"  {p.Root.Label}: {Path(p)}\n");
        }
        if (why.Definitions.Count > 0)
        {
            w.Append($"and on {why.Definitions.Count} definition{(why.Definitions.Count == 1 ? "" : "s")}:\n");
            foreach (var p in why.Definitions) w.Append($"  {p.Root.Label}: {Path(p)}\n");
        }
        return w.ToString();
    }

    public static string ShowText(ProofsLedger ledger, LedgerItem item)
    {
        var w = new StringBuilder();
        w.Append($"{item.Label}: {item.Title}\n");
        if (item.IsBinding)
            w.Append($"Un-numbered binding, a variant of {ledger[item.VariantOf!].Label} (not one of the book's items), {item.Source}\n\n");
        else
        {
            var chapter = ledger.Chapters.First(c => c.Number == item.Chapter);
            w.Append($"Chapter {chapter.Number} ({chapter.Title}), {item.Source}\n\n");
        }
        w.Append(Indent(item.Statement)).Append('\n');
        void Section(string title, string? text) { if (!string.IsNullOrWhiteSpace(text)) w.Append($"\n{title}:\n{Indent(text)}\n"); }
        w.Append($"\nUses: {(item.Uses.Count == 0 ? "nothing" : string.Join(", ", item.Uses.Select(u => ledger[u].Label)))}\n");
        var users = ledger.Items.Where(i => i.Uses.Contains(item.Name)).Select(i => i.Label).ToList();
        w.Append($"Used by: {(users.Count == 0 ? "nothing" : string.Join(", ", users))}\n");
        var variants = ledger.Bindings.Where(b => b.VariantOf == item.Name).Select(b => $"{b.Label} ({b.Title})").ToList();
        if (variants.Count > 0) w.Append($"Variants the runtime runs instead: {string.Join(", ", variants)}\n");
        foreach (string id in item.Conventions) Section($"Convention {id}", ledger.Convention(id).Text);
        if (item.AxiomBucket is { } bucket) w.Append($"\nAxiom bucket: {LedgerVocabulary.BucketName(bucket)}\n");
        Section("Why an axiom", item.WhyAxiom);
        if (item.FdCheck is { } fd) w.Append($"\nThe book's FD check: {fd}\n");
        Section("Why no FD check", item.NoFdReason);
        Section("Notes", item.Notes);
        if (item.RequiresEvidence.Count > 0)
            w.Append($"\nRequires evidence: {string.Join(", ", item.RequiresEvidence.Select(LedgerVocabulary.KindName))}\n");
        w.Append(item.Evidence.Count == 0
            ? "\nEvidence: none yet (nothing here is checked by a test so far)\n"
            : "\nEvidence (checked by):\n");
        foreach (var e in item.Evidence.Order()) w.Append($"  {e}\n");
        return w.ToString();
    }

    static string Indent(string text) => string.Join("\n", text.Split('\n').Select(l => l.Length == 0 ? l : "  " + l));
}
