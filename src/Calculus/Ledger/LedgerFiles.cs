using System.Text;

namespace LeanMlirVerify.Calculus.Ledger;

/// <summary>Writes a ledger back to its folder in canonical form, each file replaced whole or not at all.</summary>
public static class LedgerFiles
{
    /// <summary>
    /// Rewrites every chapter file (and conventions.yaml, targets.yaml, bindings.yaml) whose canonical text differs; returns the files
    /// written.
    /// </summary>
    public static IReadOnlyList<string> Save(ProofsLedger ledger)
    {
        var written = new List<string>();
        var texts = ledger.Chapters.Select(c => (c.File, Text: LedgerWriter.WriteChapter(c))).ToList();
        if (ledger.Conventions.Count > 0) texts.Add((LedgerLoader.ConventionsFile, LedgerWriter.WriteConventions(ledger.Conventions)));
        if (ledger.Targets.Count > 0) texts.Add((LedgerLoader.TargetsFile, LedgerWriter.WriteTargets(ledger.Targets)));
        if (ledger.Bindings.Count > 0) texts.Add((LedgerLoader.BindingsFile, LedgerWriter.WriteBindings(ledger.Bindings)));
        foreach (var (file, text) in texts)
        {
            string path = Path.Combine(ledger.Directory, file);
            if (File.Exists(path) && File.ReadAllText(path) == text) continue;
            WriteAtomically(path, text);
            written.Add(file);
        }
        return written;
    }

    /// <summary>Writes to a temporary file beside the target, then moves it over, so a failure never leaves half a file.</summary>
    public static void WriteAtomically(string path, string text)
    {
        string temp = path + ".tmp-" + Environment.ProcessId;
        File.WriteAllText(temp, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        File.Move(temp, path, overwrite: true);
    }
}
