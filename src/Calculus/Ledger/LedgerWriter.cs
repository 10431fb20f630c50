using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace LeanMlirVerify.Calculus.Ledger;

/// <summary>
/// Writes ledger files in their one canonical form (fixed field order, prose as literal blocks, names in flow lists),
/// so that a file read and written back is byte-identical and tools can rewrite evidence lists without noise in diffs.
/// </summary>
public static partial class LedgerWriter
{
    public static string WriteChapter(LedgerChapter chapter)
    {
        var w = new StringBuilder();
        w.Append($"# Proofs-ledger, chapter {chapter.Number}. Canonical format: see proofs-ledger/README.md.\n");
        w.Append($"chapter: {chapter.Number}\n");
        Field(w, 0, "title", chapter.Title);
        Field(w, 0, "unlocks", chapter.Unlocks);
        if (chapter.Notes is { } notes) Prose(w, 0, "notes", notes);
        w.Append("items:\n");
        for (int k = 0; k < chapter.Items.Count; k++)
        {
            if (k > 0) w.Append('\n');
            WriteItem(w, chapter.Items[k]);
        }
        return w.ToString();
    }

    static void WriteItem(StringBuilder w, LedgerItem item)
    {
        w.Append($"  - number: {item.Number.ToString(CultureInfo.InvariantCulture)}\n");
        const int I = 4;
        Field(w, I, "kind", LedgerVocabulary.KindName(item.Kind));
        Field(w, I, "name", item.Name);
        Field(w, I, "title", item.Title);
        Prose(w, I, "statement", item.Statement);
        Flow(w, I, "uses", item.Uses);
        if (item.Conventions.Count > 0) Flow(w, I, "conventions", item.Conventions);
        if (item.AxiomBucket is { } bucket) Field(w, I, "axiom_bucket", LedgerVocabulary.BucketName(bucket));
        if (item.WhyAxiom is { } why) Prose(w, I, "why_axiom", why);
        if (item.FdCheck is { } fd) Field(w, I, "fd_check", fd);
        if (item.NoFdReason is { } noFd) Prose(w, I, "no_fd_reason", noFd);
        if (item.Notes is { } notes) Prose(w, I, "notes", notes);
        if (item.RequiresEvidence.Count > 0) Flow(w, I, "requires_evidence", item.RequiresEvidence.Select(LedgerVocabulary.KindName));
        Evidence(w, I, item.Evidence);
    }

    public static string WriteTargets(IReadOnlyList<ArchitectureTarget> targets)
    {
        var w = new StringBuilder();
        w.Append("# Architecture targets for `lmv ledger graph --target`. Canonical format: see proofs-ledger/README.md.\n");
        w.Append("targets:\n");
        for (int k = 0; k < targets.Count; k++)
        {
            var t = targets[k];
            if (k > 0) w.Append('\n');
            w.Append($"  - name: {Scalar(t.Name, flow: false)}\n");
            w.Append($"    chapter: {t.Chapter.ToString(CultureInfo.InvariantCulture)}\n");
            Field(w, 4, "architecture", t.Architecture);
            if (t.Extends is { } e) Field(w, 4, "extends", e);
            Flow(w, 4, "headline", t.Headline);
            Prose(w, 4, "reason", t.Reason);
        }
        return w.ToString();
    }

    public static string WriteConventions(IReadOnlyList<LedgerConvention> conventions)
    {
        var w = new StringBuilder();
        w.Append("# Named conventions, referenced by id from an item's `conventions`. Canonical format: see proofs-ledger/README.md.\n");
        w.Append("conventions:\n");
        for (int k = 0; k < conventions.Count; k++)
        {
            if (k > 0) w.Append('\n');
            w.Append($"  - id: {Scalar(conventions[k].Id, flow: false)}\n");
            Prose(w, 4, "text", conventions[k].Text);
        }
        return w.ToString();
    }

    public static string WriteBindings(IReadOnlyList<LedgerItem> bindings)
    {
        var w = new StringBuilder();
        w.Append("# Un-numbered bindings: rules the runtime runs whose function is not a numbered item's. ")
            .Append("Canonical format: see proofs-ledger/README.md.\n");
        w.Append("bindings:\n");
        for (int k = 0; k < bindings.Count; k++)
        {
            var b = bindings[k];
            if (k > 0) w.Append('\n');
            w.Append($"  - name: {Scalar(b.Name, flow: false)}\n");
            const int I = 4;
            Field(w, I, "variant_of", b.VariantOf!);
            Field(w, I, "title", b.Title);
            Prose(w, I, "statement", b.Statement);
            Flow(w, I, "uses", b.Uses);
            if (b.Conventions.Count > 0) Flow(w, I, "conventions", b.Conventions);
            if (b.Notes is { } notes) Prose(w, I, "notes", notes);
            Evidence(w, I, b.Evidence);
        }
        return w.ToString();
    }

    static void Evidence(StringBuilder w, int indent, IReadOnlyList<EvidenceEntry> evidence)
    {
        if (evidence.Count == 0) Indent(w, indent).Append("evidence: []\n");
        else
        {
            Indent(w, indent).Append("evidence:\n");
            foreach (var e in evidence.Order())
                Indent(w, indent + 2).Append($"- {{kind: {LedgerVocabulary.KindName(e.Kind)}, check: {Scalar(e.Check, flow: true)}}}\n");
        }
    }

    static StringBuilder Indent(StringBuilder w, int n) => w.Append(' ', n);

    static void Field(StringBuilder w, int indent, string key, string value) =>
        Indent(w, indent).Append(key).Append(": ").Append(Scalar(value, flow: false)).Append('\n');

    static void Flow(StringBuilder w, int indent, string key, IEnumerable<string> values) =>
        Indent(w, indent).Append(key).Append(": [").Append(string.Join(", ", values.Select(v => Scalar(v, flow: true)))).Append("]\n");

    /// <summary>Prose goes in a literal block (<c>|-</c>), one source line per line, when that represents it exactly.</summary>
    static void Prose(StringBuilder w, int indent, string key, string value)
    {
        Indent(w, indent).Append(key).Append(':');
        if (!LiteralSafe(value)) { w.Append(' ').Append(Quoted(value)).Append('\n'); return; }
        w.Append(" |-\n");
        Block(w, indent + 2, value);
    }

    static void Block(StringBuilder w, int indent, string value)
    {
        foreach (string line in value.Split('\n'))
        {
            if (line.Length > 0) Indent(w, indent).Append(line);
            w.Append('\n');
        }
    }

    /// <summary>
    /// A literal block keeps text exactly unless it starts with a space, has trailing spaces, tabs or CR, or ends in a
    /// newline.
    /// </summary>
    static bool LiteralSafe(string s) =>
        s.Length > 0 && !char.IsWhiteSpace(s[0]) && !s.EndsWith('\n') && !s.Contains('\r') && !s.Contains('\t')
        && s.Split('\n').All(l => l.Length == 0 || !char.IsWhiteSpace(l[^1])) && !s.Split('\n')[0].StartsWith('#');

    /// <summary>Plain when YAML reads it back as the same text in this context, double-quoted otherwise.</summary>
    static string Scalar(string s, bool flow) => IsPlainSafe(s, flow) ? s : Quoted(s);

    static bool IsPlainSafe(string s, bool flow)
    {
        if (s.Length == 0 || s != s.Trim() || s.Contains('\n') || s.Contains('\r') || s.Contains('\t')) return false;
        if ("-?:,[]{}#&*!|>'\"%@`".Contains(s[0])) return false;
        if (s.Contains(": ") || s.Contains(" #") || s.EndsWith(':')) return false;
        if (flow && s.IndexOfAny([',', '[', ']', '{', '}']) >= 0) return false;
        return !Reserved().IsMatch(s);
    }

    [GeneratedRegex(@"^(~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|"
        + @"[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?|0x[0-9a-fA-F_]+|0o[0-7_]+|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")]
    private static partial Regex Reserved();

    static string Quoted(string s)
    {
        var q = new StringBuilder("\"");
        foreach (char c in s)
        {
            q.Append(c switch
            {
                '"' => "\\\"", '\\' => "\\\\", '\n' => "\\n", '\r' => "\\r", '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return q.Append('"').ToString();
    }
}
