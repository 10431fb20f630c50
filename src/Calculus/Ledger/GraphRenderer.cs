using System.Text;

namespace LeanMlirVerify.Calculus.Ledger;

/// <summary>Output formats of <c>lmv ledger graph</c>.</summary>
public enum GraphFormat { Text, Dot, Mermaid }

/// <summary>A subset of the ledger to draw: its items, the ones to emphasise (a target's headline, the queried item), a title.</summary>
public sealed record GraphView(string Title, IReadOnlyList<LedgerItem> Items, IReadOnlySet<string> Emphasised, string? Note = null);

/// <summary>
/// Draws a <see cref="GraphView"/> as text, Graphviz DOT or Mermaid. In every format axioms are marked (the word
/// [axiom]; in DOT a red double-bordered box, in Mermaid a hexagon) and nodes are coloured by evidence status.
/// Edges run from a used item to the item that uses it.
/// </summary>
public static class GraphRenderer
{
    static readonly IReadOnlyDictionary<EvidenceStatus, string> Fill = new Dictionary<EvidenceStatus, string>
    {
        [EvidenceStatus.None] = "#f2f2f2", [EvidenceStatus.Some] = "#ffe8a3", [EvidenceStatus.Full] = "#b5e3ae",
    };

    public const string Legend =
        "[axiom] marks an axiom; evidence: none (grey), some (yellow), symbolic + finite-difference + oracle (green)";

    public static string Render(ProofsLedger ledger, GraphView view, GraphFormat format) => format switch
    {
        GraphFormat.Dot => Dot(ledger, view),
        GraphFormat.Mermaid => Mermaid(ledger, view),
        _ => Text(ledger, view),
    };

    static IEnumerable<(LedgerItem Used, LedgerItem User)> Edges(ProofsLedger ledger, GraphView view)
    {
        var inView = view.Items.Select(i => i.Name).ToHashSet();
        return view.Items.SelectMany(user => ledger.UsesOf(user).Where(u => inView.Contains(u.Name)).Select(used => (used, user)));
    }

    static string StatusWord(EvidenceStatus s) => s switch
    {
        EvidenceStatus.None => "none", EvidenceStatus.Some => "some", _ => "symbolic+fd+oracle",
    };

    static string Marker(LedgerItem item) => $"[{LedgerVocabulary.KindName(item.Kind)}]";

    public static string Text(ProofsLedger ledger, GraphView view)
    {
        var w = new StringBuilder();
        var (a, t, d) = LedgerAudit.Count(view.Items);
        w.Append($"{view.Title}: {view.Items.Count} items ({a} axioms, {t} theorems, {d} definitions)\n");
        if (view.Note is { } note) w.Append(note).Append('\n');
        w.Append($"{Legend}; * marks the items asked for; ← lists what an item uses\n");
        int width = view.Items.Count == 0 ? 0 : view.Items.Max(i => i.Name.Length);
        foreach (var chapter in ledger.Chapters)
        {
            var items = view.Items.Where(i => i.Chapter == chapter.Number).ToList();
            if (items.Count == 0) continue;
            w.Append($"\nChapter {chapter.Number}: {chapter.Title}\n");
            foreach (var item in items)
            {
                string star = view.Emphasised.Contains(item.Name) ? "*" : " ";
                w.Append($"{star}{item.Number,4} {Marker(item),-12} {item.Name.PadRight(width)}  {item.Title}");
                w.Append($"  (evidence: {StatusWord(item.EvidenceStatus)})");
                if (item.Uses.Count > 0) w.Append($"\n{"",18}← {string.Join(", ", item.Uses)}");
                w.Append('\n');
            }
        }
        return w.ToString();
    }

    public static string Dot(ProofsLedger ledger, GraphView view)
    {
        var w = new StringBuilder();
        w.Append("digraph ledger {\n");
        w.Append($"  label={DotString(view.Title + "\\n" + Legend)};\n  labelloc=t;\n  fontname=\"Helvetica\";\n");
        w.Append("  node [fontname=\"Helvetica\", fontsize=10, style=filled];\n  edge [color=\"#8a8a8a\", arrowsize=0.6];\n");
        foreach (var chapter in ledger.Chapters)
        {
            var items = view.Items.Where(i => i.Chapter == chapter.Number).ToList();
            if (items.Count == 0) continue;
            w.Append($"  subgraph cluster_ch{chapter.Number} {{\n");
            w.Append($"    label={DotString($"Chapter {chapter.Number}: {chapter.Title}")};\n    style=rounded;\n    color=\"#bbbbbb\";\n");
            foreach (var item in items)
            {
                string label = $"{(item.IsAxiom ? "[axiom] " : "")}{item.Number} {item.Name}\\n{item.Title}";
                string shape = item.Kind switch
                {
                    ItemKind.Axiom => "shape=box, peripheries=2, color=\"#b22222\", fontcolor=\"#b22222\"",
                    ItemKind.Definition => "shape=note",
                    _ => "shape=ellipse",
                };
                string emphasis = view.Emphasised.Contains(item.Name) ? ", penwidth=2.5" : "";
                w.Append($"    {item.Name} [label={DotString(label)}, {shape}, fillcolor=\"{Fill[item.EvidenceStatus]}\"{emphasis}];\n");
            }
            w.Append("  }\n");
        }
        foreach (var (used, user) in Edges(ledger, view)) w.Append($"  {used.Name} -> {user.Name};\n");
        w.Append("}\n");
        return w.ToString();
    }

    /// <summary>A DOT string literal; "\n" sequences already in <paramref name="s"/> stay as line breaks.</summary>
    static string DotString(string s) => "\"" + s.Replace("\"", "\\\"") + "\"";

    public static string Mermaid(ProofsLedger ledger, GraphView view)
    {
        var w = new StringBuilder();
        w.Append("flowchart TD\n");
        foreach (var (status, colour) in Fill)
            w.Append($"  classDef {StatusWord(status).Replace('+', '_')} fill:{colour},stroke:#555555\n");
        w.Append("  classDef axiom stroke:#b22222,stroke-width:3px,color:#b22222\n");
        w.Append("  classDef asked stroke-width:3px\n");
        foreach (var chapter in ledger.Chapters)
        {
            var items = view.Items.Where(i => i.Chapter == chapter.Number).ToList();
            if (items.Count == 0) continue;
            w.Append($"  subgraph ch{chapter.Number}[\"Chapter {chapter.Number}: {MermaidText(chapter.Title)}\"]\n");
            foreach (var item in items)
            {
                string text = $"\"{(item.IsAxiom ? "[axiom] " : "")}{item.Number} {item.Name}<br/>{MermaidText(item.Title)}\"";
                string node = item.Kind switch
                {
                    ItemKind.Axiom => $"{{{{{text}}}}}",
                    ItemKind.Definition => $"[/{text}/]",
                    _ => $"({text})",
                };
                w.Append($"    i{item.Number}{node}:::{StatusWord(item.EvidenceStatus).Replace('+', '_')}\n");
            }
            w.Append("  end\n");
        }
        foreach (var (used, user) in Edges(ledger, view)) w.Append($"  i{used.Number} --> i{user.Number}\n");
        var axioms = view.Items.Where(i => i.IsAxiom).Select(i => $"i{i.Number}").ToList();
        if (axioms.Count > 0) w.Append($"  class {string.Join(",", axioms)} axiom\n");
        var asked = view.Items.Where(i => view.Emphasised.Contains(i.Name)).Select(i => $"i{i.Number}").ToList();
        if (asked.Count > 0) w.Append($"  class {string.Join(",", asked)} asked\n");
        return w.ToString();
    }

    static string MermaidText(string s) => s.Replace("\"", "#quot;");
}
