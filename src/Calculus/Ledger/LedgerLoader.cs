using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LeanMlirVerify.Calculus.Ledger;

/// <summary>
/// Reads proofs-ledger/ strictly: every chapter file (chNN-*.yaml) and targets.yaml. Unknown or missing fields, wrong
/// types, unknown kinds, YAML syntax errors, duplicates, dangling, forward or cyclic <c>uses</c> are all reported, each
/// naming the file, the item and the problem, and the load fails with <see cref="LedgerException"/>. What could not be
/// read is reported once: names that only an unreadable file or item defines are not also reported as dangling.
/// </summary>
public static class LedgerLoader
{
    public const string TargetsFile = "targets.yaml";

    public static ProofsLedger Load(string directory)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"ledger folder '{directory}' does not exist");
        var findings = new List<LedgerFinding>();
        var unread = new HashSet<string>();
        var chapters = new List<LedgerChapter>();
        var files = Directory.GetFiles(directory, "*.yaml").Select(Path.GetFileName).OfType<string>()
            .Where(f => f != TargetsFile).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0) findings.Add(new(directory, 0, null, "no chapter files (*.yaml) in the ledger folder"));
        foreach (var file in files)
        {
            var chapter = ReadChapter(file, File.ReadAllText(Path.Combine(directory, file)), findings, unread);
            if (chapter is not null) chapters.Add(chapter);
        }
        var targets = new List<ArchitectureTarget>();
        string targetsPath = Path.Combine(directory, TargetsFile);
        if (File.Exists(targetsPath)) targets.AddRange(ReadTargets(TargetsFile, File.ReadAllText(targetsPath), findings, unread));

        var ledger = new ProofsLedger(directory, chapters, targets);
        findings.AddRange(LedgerStructure.Check(ledger, unread));
        if (findings.Count > 0) throw new LedgerException(findings);
        return ledger;
    }

    /// <summary>
    /// Parses one chapter file; adds a finding per problem and returns null when the file cannot be used at all. The names
    /// of items it could not read go to <paramref name="unread"/>.
    /// </summary>
    public static LedgerChapter? ReadChapter(string file, string text, List<LedgerFinding> findings, ISet<string>? unread = null)
    {
        unread ??= new HashSet<string>();
        var root = LedgerYaml.ParseRoot(file, text, findings);
        if (root is null)
        {
            unread.UnionWith(LedgerYaml.NamesIn(text));
            return null;
        }
        var doc = new Fields(root, file, null, findings);
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
            var item = ReadItem(file, chapter.Value, k, map, findings);
            if (item is not null) items.Add(item);
            else if (NameOf(map) is { } name) unread.Add(name);
        }
        return new LedgerChapter(chapter.Value, title, unlocks, notes, file, items);
    }

    static LedgerItem? ReadItem(string file, int chapter, int index, YamlMappingNode map, List<LedgerFinding> findings)
    {
        string label = ItemLabel(map, index);
        var f = new Fields(map, file, label, findings);
        int? number = f.Int("number");
        ItemKind? kind = f.Choice("kind", LedgerVocabulary.ItemKinds);
        string? name = f.Text("name");
        string? title = f.Text("title");
        string? statement = f.Text("statement");
        var uses = f.Names("uses");
        var conventions = f.OptionalTextList("conventions");
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

    static IEnumerable<ArchitectureTarget> ReadTargets(string file, string text, List<LedgerFinding> findings, ISet<string> unread)
    {
        var root = LedgerYaml.ParseRoot(file, text, findings);
        if (root is null)
        {
            unread.UnionWith(LedgerYaml.NamesIn(text));
            yield break;
        }
        var doc = new Fields(root, file, null, findings);
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
            var f = new Fields(map, file, label, findings);
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

    /// <summary>Reads the fields of one mapping, remembering which were read so that any other key is reported.</summary>
    sealed class Fields(YamlMappingNode map, string file, string? item, List<LedgerFinding> findings)
    {
        readonly HashSet<string> _read = [];

        void Report(YamlNode at, string problem) => findings.Add(new(file, Line(at), item, problem));

        YamlNode? Get(string key, bool required)
        {
            _read.Add(key);
            if (map.Children.TryGetValue(new YamlScalarNode(key), out var node)) return node;
            if (required) Report(map, $"missing field '{key}'");
            return null;
        }

        string? Scalar(string key, bool required)
        {
            var node = Get(key, required);
            if (node is null) return null;
            if (node is YamlScalarNode { Value: { } v } s && !(s.Style == ScalarStyle.Plain && (v.Length == 0 || v is "~" or "null")))
                return v;
            Report(node, $"field '{key}' must be a text value");
            return null;
        }

        public string? Text(string key) => Scalar(key, required: true);
        public string? OptionalText(string key) => Scalar(key, required: false);

        public int? Int(string key)
        {
            var node = Get(key, required: true);
            if (node is null) return null;
            if (node is YamlScalarNode { Style: ScalarStyle.Plain, Value: { } v } && int.TryParse(v, out int n) && n.ToString() == v) return n;
            Report(node, $"field '{key}' must be a whole number");
            return null;
        }

        T? Pick<T>(YamlNode node, string key, IReadOnlyDictionary<string, T> choices) where T : struct
        {
            if (node is YamlScalarNode { Value: { } v } && choices.TryGetValue(v, out var value)) return value;
            string got = node is YamlScalarNode s ? $"'{s.Value}'" : "a non-text value";
            Report(node, $"unknown {key} {got}; expected one of: {string.Join(", ", choices.Keys)}");
            return null;
        }

        public T? Choice<T>(string key, IReadOnlyDictionary<string, T> choices) where T : struct =>
            Get(key, required: true) is { } node ? Pick(node, key, choices) : null;

        public T? OptionalChoice<T>(string key, IReadOnlyDictionary<string, T> choices) where T : struct =>
            Get(key, required: false) is { } node ? Pick(node, key, choices) : null;

        public IReadOnlyList<T> OptionalChoices<T>(string key, IReadOnlyDictionary<string, T> choices) where T : struct
        {
            var list = SequenceOf(key, required: false);
            return list is null ? [] : list.Children.Select(n => Pick(n, key, choices)).OfType<T>().ToList();
        }

        public YamlSequenceNode? Sequence(string key) => SequenceOf(key, required: true);

        YamlSequenceNode? SequenceOf(string key, bool required)
        {
            var node = Get(key, required);
            if (node is null or YamlSequenceNode) return (YamlSequenceNode?)node;
            Report(node, $"field '{key}' must be a list");
            return null;
        }

        public IReadOnlyList<string> OptionalTextList(string key)
        {
            var list = SequenceOf(key, required: false);
            if (list is null) return [];
            var result = new List<string>();
            foreach (var n in list.Children)
            {
                if (n is YamlScalarNode { Value: { Length: > 0 } v }) result.Add(v);
                else Report(n, $"every entry of '{key}' must be a text value");
            }
            return result;
        }

        public IReadOnlyList<string>? Names(string key)
        {
            var list = Sequence(key);
            if (list is null) return null;
            var result = new List<string>();
            foreach (var n in list.Children)
            {
                if (n is YamlScalarNode { Value: { } v } && LedgerVocabulary.IsIdentifier(v)) result.Add(v);
                else Report(n, $"every entry of '{key}' must be an item name (an identifier)");
            }
            return Distinct(list, key, result);
        }

        /// <summary>Reports every entry a list holds twice; returns the list.</summary>
        List<T> Distinct<T>(YamlSequenceNode list, string key, List<T> result)
        {
            foreach (var dup in result.GroupBy(x => x).Where(g => g.Count() > 1))
                Report(list, $"'{key}' lists '{dup.Key}' more than once");
            return result;
        }

        public IReadOnlyList<EvidenceEntry>? Evidence(string key)
        {
            var list = Sequence(key);
            if (list is null) return null;
            var result = new List<EvidenceEntry>();
            foreach (var n in list.Children)
            {
                if (n is not YamlMappingNode entry)
                {
                    Report(n, $"every entry of '{key}' must be a mapping {{kind: ..., check: ...}}");
                    continue;
                }
                var f = new Fields(entry, file, item, findings);
                var kind = f.Choice("kind", LedgerVocabulary.EvidenceKinds);
                string? check = f.Text("check");
                f.RejectUnknown();
                if (kind is not null && check is not null) result.Add(new EvidenceEntry(kind.Value, check));
            }
            return Distinct(list, key, result);
        }

        public void RejectUnknown()
        {
            foreach (var (key, _) in map.Children)
            {
                string name = key is YamlScalarNode s ? s.Value ?? "" : "(non-text key)";
                if (!_read.Contains(name)) Report(key, $"unknown field '{name}'");
            }
        }
    }
}
