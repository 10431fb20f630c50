using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LeanMlirVerify.Calculus.Ledger;

/// <summary>
/// Reads proofs-ledger/ strictly: every chapter file (chNN-*.yaml), conventions.yaml, targets.yaml and bindings.yaml. Unknown or
/// missing fields, wrong types, unknown kinds, YAML syntax errors, duplicates, dangling, forward or cyclic <c>uses</c>,
/// a convention id no convention defines (or a convention no item uses) are all reported, each naming the file, the
/// item and the problem, and the load fails with <see cref="LedgerException"/>. What could not be read is reported
/// once: names that only an unreadable file or item defines are not also reported as dangling.
/// </summary>
public static class LedgerLoader
{
    public const string TargetsFile = "targets.yaml";
    public const string ConventionsFile = "conventions.yaml";
    public const string BindingsFile = "bindings.yaml";

    public static ProofsLedger Load(string directory)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"ledger folder '{directory}' does not exist");
        var findings = new List<LedgerFinding>();
        var unread = new HashSet<string>();
        var chapters = new List<LedgerChapter>();
        string conventionsPath = Path.Combine(directory, ConventionsFile);
        var conventions = File.Exists(conventionsPath) ? ReadConventions(ConventionsFile, File.ReadAllText(conventionsPath), findings) : [];
        // An unreadable conventions file has been reported; its ids are then not checked, to avoid a finding per reference.
        IReadOnlySet<string>? known = conventions is null ? null : conventions.Select(c => c.Id).ToHashSet();
        var files = Directory.GetFiles(directory, "*.yaml").Select(Path.GetFileName).OfType<string>()
            .Where(f => f != TargetsFile && f != ConventionsFile && f != BindingsFile).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0) findings.Add(new(directory, 0, null, "no chapter files (*.yaml) in the ledger folder"));
        foreach (var file in files)
        {
            var chapter = ReadChapter(file, File.ReadAllText(Path.Combine(directory, file)), findings, unread, known);
            if (chapter is not null) chapters.Add(chapter);
        }
        var targets = new List<ArchitectureTarget>();
        string targetsPath = Path.Combine(directory, TargetsFile);
        if (File.Exists(targetsPath)) targets.AddRange(ReadTargets(TargetsFile, File.ReadAllText(targetsPath), findings, unread));

        string bindingsPath = Path.Combine(directory, BindingsFile);
        var bindings = File.Exists(bindingsPath) ? ReadBindings(BindingsFile, File.ReadAllText(bindingsPath), findings, unread, known) : [];

        var ledger = new ProofsLedger(directory, chapters, targets, conventions ?? [], bindings);
        findings.AddRange(LedgerStructure.Check(ledger, unread));
        // Only on an otherwise clean ledger: a misspelt reference (reported above) would leave its convention unused.
        if (findings.Count == 0)
            findings.AddRange(ledger.Conventions.Where(c => !ledger.Items.Concat(ledger.Bindings).Any(i => i.Conventions.Contains(c.Id)))
                .Select(c => new LedgerFinding(c.Source.File, c.Source.Line, $"convention {c.Id}", "is referenced by no item")));
        if (findings.Count > 0) throw new LedgerException(findings);
        return ledger;
    }

    /// <summary>Parses conventions.yaml; null when the file cannot be used at all (its finding is added).</summary>
    public static IReadOnlyList<LedgerConvention>? ReadConventions(string file, string text, List<LedgerFinding> findings)
    {
        var root = LedgerYaml.ParseRoot(file, text, findings);
        if (root is null) return null;
        var doc = new LedgerFields(root, file, null, findings);
        var list = doc.Sequence("conventions");
        doc.RejectUnknown();
        if (list is null) return null;
        var conventions = new List<LedgerConvention>();
        for (int k = 0; k < list.Children.Count; k++)
        {
            if (list.Children[k] is not YamlMappingNode map)
            {
                findings.Add(new(file, Line(list.Children[k]), $"convention #{k + 1}", "is not a mapping of fields"));
                continue;
            }
            string label = Scalar(map, "id") is { } named ? $"convention {named}" : $"convention #{k + 1}";
            var f = new LedgerFields(map, file, label, findings);
            string? id = f.Text("id");
            string? body = f.Text("text");
            f.RejectUnknown();
            if (id is null || body is null) continue;
            var at = new SourceLocation(file, Line(map));
            if (!LedgerVocabulary.IsConventionId(id))
                findings.Add(new(file, at.Line, label, $"id '{id}' is not a convention id (lower-case words joined by '-')"));
            else if (conventions.FirstOrDefault(c => c.Id == id) is { } first)
                findings.Add(new(file, at.Line, label, $"duplicate convention id '{id}' (also at {first.Source})"));
            else conventions.Add(new LedgerConvention(id, body, at));
        }
        return conventions;
    }

    /// <summary>
    /// Parses one chapter file; adds a finding per problem and returns null when the file cannot be used at all. The names
    /// of items it could not read go to <paramref name="unread"/>; a convention id outside <paramref name="conventions"/>
    /// is a finding (with no <paramref name="conventions"/>, ids are only checked for form).
    /// </summary>
    public static LedgerChapter? ReadChapter(string file, string text, List<LedgerFinding> findings, ISet<string>? unread = null,
        IReadOnlySet<string>? conventions = null)
    {
        unread ??= new HashSet<string>();
        var root = LedgerYaml.ParseRoot(file, text, findings);
        if (root is null)
        {
            unread.UnionWith(LedgerYaml.NamesIn(text));
            return null;
        }
        var doc = new LedgerFields(root, file, null, findings);
        int? chapter = doc.Int("chapter");
        string? title = doc.Text("title");
        string? unlocks = doc.Text("unlocks");
        string? notes = doc.OptionalText("notes");
        var itemNodes = doc.Sequence("items");
        doc.RejectUnknown();
        if (chapter is null || title is null || unlocks is null || itemNodes is null)
        {
            unread.UnionWith(LedgerYaml.NamesIn(text));
            return null;
        }

        var items = new List<LedgerItem>();
        for (int k = 0; k < itemNodes.Children.Count; k++)
        {
            var node = itemNodes.Children[k];
            if (node is not YamlMappingNode map)
            {
                findings.Add(new(file, Line(node), $"item #{k + 1} of the list", "is not a mapping of fields"));
                continue;
            }
            var item = ReadItem(file, chapter.Value, k, map, findings, conventions);
            if (item is not null) items.Add(item);
            else if (NameOf(map) is { } name) unread.Add(name);
        }
        return new LedgerChapter(chapter.Value, title, unlocks, notes, file, items);
    }

    static LedgerItem? ReadItem(string file, int chapter, int index, YamlMappingNode map, List<LedgerFinding> findings,
        IReadOnlySet<string>? knownConventions)
    {
        string label = ItemLabel(map, index);
        var f = new LedgerFields(map, file, label, findings);
        int? number = f.Int("number");
        ItemKind? kind = f.Choice("kind", LedgerVocabulary.ItemKinds);
        string? name = f.Text("name");
        string? title = f.Text("title");
        string? statement = f.Text("statement");
        var uses = f.Names("uses");
        var conventions = f.ConventionIds("conventions", knownConventions);
        AxiomBucket? bucket = f.OptionalChoice("axiom_bucket", LedgerVocabulary.Buckets);
        string? why = f.OptionalText("why_axiom");
        string? fd = f.OptionalText("fd_check");
        string? noFd = f.OptionalText("no_fd_reason");
        string? notes = f.OptionalText("notes");
        var requires = f.OptionalChoices("requires_evidence", LedgerVocabulary.EvidenceKinds);
        var evidence = f.Evidence("evidence");
        f.RejectUnknown();
        if (name is not null && !LedgerVocabulary.IsIdentifier(name))
            findings.Add(new(file, Line(map), label, $"name '{name}' is not an identifier (letters, digits, _)"));
        if (number is null || kind is null || name is null || title is null || statement is null || uses is null || evidence is null)
            return null;
        return new LedgerItem
        {
            Number = number.Value, Kind = kind.Value, Chapter = chapter, Name = name, Title = title, Statement = statement,
            Uses = uses, Conventions = conventions, AxiomBucket = bucket, WhyAxiom = why, FdCheck = fd, NoFdReason = noFd,
            Notes = notes, RequiresEvidence = requires, Evidence = evidence, Source = new SourceLocation(file, Line(map)),
        };
    }

    /// <summary>
    /// Parses bindings.yaml: un-numbered entries (name, variant_of, title, statement, uses, conventions, notes, evidence),
    /// each read as a <see cref="LedgerItem"/> with number 0 and kind theorem. Problems are findings, as for chapters.
    /// </summary>
    public static IReadOnlyList<LedgerItem> ReadBindings(string file, string text, List<LedgerFinding> findings,
        ISet<string>? unread = null, IReadOnlySet<string>? conventions = null)
    {
        unread ??= new HashSet<string>();
        var root = LedgerYaml.ParseRoot(file, text, findings);
        if (root is null)
        {
            unread.UnionWith(LedgerYaml.NamesIn(text));
            return [];
        }
        var doc = new LedgerFields(root, file, null, findings);
        var list = doc.Sequence("bindings");
        doc.RejectUnknown();
        if (list is null) return [];
        var bindings = new List<LedgerItem>();
        for (int k = 0; k < list.Children.Count; k++)
        {
            if (list.Children[k] is not YamlMappingNode map)
            {
                findings.Add(new(file, Line(list.Children[k]), $"binding #{k + 1}", "is not a mapping of fields"));
                continue;
            }
            string label = NameOf(map) is { } named ? $"binding {named}" : $"binding #{k + 1}";
            var f = new LedgerFields(map, file, label, findings);
            string? name = f.Text("name");
            string? variantOf = f.Text("variant_of");
            string? title = f.Text("title");
            string? statement = f.Text("statement");
            var uses = f.Names("uses");
            var ids = f.ConventionIds("conventions", conventions);
            string? notes = f.OptionalText("notes");
            var evidence = f.Evidence("evidence");
            f.RejectUnknown();
            if (name is not null && !LedgerVocabulary.IsIdentifier(name))
                findings.Add(new(file, Line(map), label, $"name '{name}' is not an identifier (letters, digits, _)"));
            if (name is null || variantOf is null || title is null || statement is null || uses is null || evidence is null)
            {
                if (name is not null) unread.Add(name);
                continue;
            }
            bindings.Add(new LedgerItem
            {
                Number = 0, Kind = ItemKind.Theorem, Chapter = 0, Name = name, Title = title, Statement = statement, Uses = uses,
                Conventions = ids, Notes = notes, Evidence = evidence, VariantOf = variantOf, Source = new SourceLocation(file, Line(map)),
            });
        }
        return bindings;
    }

    static IEnumerable<ArchitectureTarget> ReadTargets(string file, string text, List<LedgerFinding> findings, ISet<string> unread)
    {
        var root = LedgerYaml.ParseRoot(file, text, findings);
        if (root is null)
        {
            unread.UnionWith(LedgerYaml.NamesIn(text));
            yield break;
        }
        var doc = new LedgerFields(root, file, null, findings);
        var list = doc.Sequence("targets");
        doc.RejectUnknown();
        if (list is null) yield break;
        for (int k = 0; k < list.Children.Count; k++)
        {
            if (list.Children[k] is not YamlMappingNode map)
            {
                findings.Add(new(file, Line(list.Children[k]), $"target #{k + 1}", "is not a mapping of fields"));
                continue;
            }
            string label = NameOf(map) is { } targetName ? $"target {targetName}" : $"target #{k + 1}";
            var f = new LedgerFields(map, file, label, findings);
            string? name = f.Text("name");
            int? chapter = f.Int("chapter");
            string? architecture = f.Text("architecture");
            string? extends = f.OptionalText("extends");
            var headline = f.Names("headline");
            string? reason = f.Text("reason");
            f.RejectUnknown();
            if (name is null || chapter is null || architecture is null || headline is null || reason is null)
            {
                if (NameOf(map) is { } unreadName) unread.Add(unreadName);
                continue;
            }
            yield return new ArchitectureTarget(name, chapter.Value, architecture, extends, headline, reason, new(file, Line(map)));
        }
    }

    static string? Scalar(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode s ? s.Value : null;

    static string? NameOf(YamlMappingNode map) => Scalar(map, "name");

    static string ItemLabel(YamlMappingNode map, int index)
    {
        string? number = Scalar(map, "number"), name = NameOf(map);
        if (number is not null && name is not null) return $"item {number} {name}";
        if (name is not null) return $"item {name}";
        if (number is not null) return $"item {number}";
        return $"item #{index + 1} of the list";
    }

    internal static int Line(YamlNode node) => (int)node.Start.Line;
}
