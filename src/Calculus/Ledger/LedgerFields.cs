using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LeanMlirVerify.Calculus.Ledger;

/// <summary>Reads the fields of one mapping, remembering which were read so that any other key is reported.</summary>
internal sealed class LedgerFields(YamlMappingNode map, string file, string? item, List<LedgerFinding> findings)
{
    readonly HashSet<string> _read = [];

    void Report(YamlNode at, string problem) => findings.Add(new(file, LedgerLoader.Line(at), item, problem));

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

    /// <summary>
    /// An optional list of convention ids; an id that <paramref name="known"/> lacks is reported at its line (with no
    /// <paramref name="known"/>, as when one chapter is read alone, ids are only checked for form).
    /// </summary>
    public IReadOnlyList<string> ConventionIds(string key, IReadOnlySet<string>? known)
    {
        var list = SequenceOf(key, required: false);
        if (list is null) return [];
        var result = new List<string>();
        foreach (var n in list.Children)
        {
            if (n is not YamlScalarNode { Value: { } v } || !LedgerVocabulary.IsConventionId(v))
                Report(n, $"every entry of '{key}' must be a convention id (lower-case words joined by '-')");
            else if (known is not null && !known.Contains(v))
                Report(n, $"convention '{v}' is not defined in {LedgerLoader.ConventionsFile} " +
                    $"(defined: {string.Join(", ", known.Order())})");
            else result.Add(v);
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
            var f = new LedgerFields(entry, file, item, findings);
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
