using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace LeanMlirVerify.Calculus.Ledger;

/// <summary>
/// Parses one ledger file. A YAML syntax error becomes one finding at file:line:column saying what the parser expected;
/// an unclosed <c>[</c> or <c>{</c> is reported where it opens, since that is the character to fix.
/// </summary>
static partial class LedgerYaml
{
    /// <summary>The file's top-level mapping, or null after adding the one finding that says why there is none.</summary>
    public static YamlMappingNode? ParseRoot(string file, string text, List<LedgerFinding> findings)
    {
        var parser = new TrackingParser(new Parser(new StringReader(text)));
        var stream = new YamlStream();
        try
        {
            stream.Load(parser);
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException)
        {
            findings.Add(SyntaxError(file, e, parser));
            return null;
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            findings.Add(new(file, 1, null, "expected exactly one YAML document whose top level is a mapping"));
            return null;
        }
        return root;
    }

    /// <summary>
    /// Every <c>name:</c> value in a file that could not be read as YAML: the items (or targets) it would have defined,
    /// so that references to them are not reported as dangling on top of the syntax error.
    /// </summary>
    public static IEnumerable<string> NamesIn(string text) => NameLine().Matches(text).Select(m => m.Groups[1].Value);

    [GeneratedRegex(@"^[ \t]*(?:-[ \t]+)?name:[ \t]*['""]?([A-Za-z_][A-Za-z0-9_]*)['""]?[ \t]*\r?$", RegexOptions.Multiline)]
    private static partial Regex NameLine();

    static LedgerFinding SyntaxError(string file, Exception e, TrackingParser parser)
    {
        // YamlDotNet 16 meets an unclosed flow collection late: at the end of the file ("did not find expected ',' or
        // ']'"), or, when a later line holds a ':', with an InvalidOperationException that has no position at all.
        if (parser.InnermostOpenFlow is { } open && (e is InvalidOperationException || e.Message.Contains("flow ")))
        {
            char close = open.Bracket == '[' ? ']' : '}';
            return At(file, open.At, $"YAML syntax error: '{open.Bracket}' is never closed (expected ',' or '{close}')");
        }
        if (e is YamlException y && y.Start.Line > 0)
            return At(file, y.Start, $"YAML syntax error: {(y.InnerException?.Message ?? y.Message).Trim()}");
        return At(file, parser.LastEnd, $"YAML syntax error after this point: {e.Message}");
    }

    static LedgerFinding At(string file, Mark mark, string problem) => new(file, (int)mark.Line, null, problem, (int)mark.Column);

    /// <summary>Passes the parser's events through, remembering the open collections and where the last event ended.</summary>
    sealed class TrackingParser(IParser inner) : IParser
    {
        readonly Stack<(char? Bracket, Mark At)> _open = new();

        public ParsingEvent? Current => inner.Current;
        public Mark LastEnd { get; private set; } = Mark.Empty;

        /// <summary>The innermost <c>[</c> or <c>{</c> not yet closed, and where it is.</summary>
        public (char Bracket, Mark At)? InnermostOpenFlow =>
            _open.Where(o => o.Bracket is not null).Select(o => ((char, Mark)?)(o.Bracket!.Value, o.At)).FirstOrDefault();

        public bool MoveNext()
        {
            bool moved = inner.MoveNext();
            switch (inner.Current)
            {
                case SequenceStart s: _open.Push((s.Style == SequenceStyle.Flow ? '[' : null, s.Start)); break;
                case MappingStart m: _open.Push((m.Style == MappingStyle.Flow ? '{' : null, m.Start)); break;
                case SequenceEnd or MappingEnd when _open.Count > 0: _open.Pop(); break;
            }
            if (inner.Current is { } current) LastEnd = current.End;
            return moved;
        }
    }
}
