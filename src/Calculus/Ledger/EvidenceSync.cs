using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace LeanMlirVerify.Calculus.Ledger;

/// <summary>One item a test method is evidence for: from an <c>[Evidence]</c> attribute or an <c>[EvidenceFrom]</c>'s data.</summary>
public sealed record EvidenceUse(string Item, EvidenceKind Kind, string Check);

/// <summary>An item whose evidence list (for the kinds one test assembly owns) differs from the attributes.</summary>
public sealed record EvidenceDrift(LedgerItem Item, IReadOnlyList<EvidenceEntry> Missing, IReadOnlyList<EvidenceEntry> Stale);

/// <summary>
/// The comparison of a test assembly's attributes with the ledger: <see cref="Errors"/> cannot be fixed by rewriting
/// the ledger (an attribute names no item, or a kind another assembly owns); <see cref="Drift"/> can.
/// </summary>
public sealed record EvidenceSyncReport(IReadOnlyList<string> Errors, IReadOnlyList<EvidenceDrift> Drift, IReadOnlyList<string> Updated)
{
    public bool Clean => Errors.Count == 0 && Drift.Count == 0;

    public string Describe(string fixCommand)
    {
        var w = new StringBuilder();
        foreach (string e in Errors) w.Append("  ").Append(e).Append('\n');
        foreach (var d in Drift)
        {
            foreach (var m in d.Missing)
                w.Append($"  {d.Item.Source.File}: {d.Item.Label}: missing {{{m}}}: ")
                    .Append("a test carries this [Evidence], the ledger does not list it\n");
            foreach (var s in d.Stale)
                w.Append($"  {d.Item.Source.File}: {d.Item.Label}: stale {{{s}}}: listed in the ledger, no test carries this [Evidence]\n");
        }
        if (Drift.Count > 0) w.Append($"Fix the ledger's evidence lists with: {fixCommand}\n");
        return w.ToString();
    }
}

/// <summary>
/// Keeps each ledger item's evidence list equal to the <c>[Evidence]</c> attributes on test methods and the items of
/// their <c>[EvidenceFrom]</c> data. Each test assembly
/// owns some evidence kinds (tests/FiniteDifference: symbolic, finite-difference, property, adjoint, kernel-vs-math; tests/Oracle:
/// oracle; each: the consistency entries of its own tests) and compares only those, so the two projects never fight
/// over an entry. With LMV_UPDATE_EVIDENCE=1 the
/// chapter files are rewritten (canonically) instead of reporting drift.
/// </summary>
public static class EvidenceSync
{
    public const string UpdateVariable = "LMV_UPDATE_EVIDENCE";

    public static readonly IReadOnlySet<EvidenceKind> FiniteDifferenceKinds =
        new HashSet<EvidenceKind>
        {
            EvidenceKind.Symbolic, EvidenceKind.FiniteDifference, EvidenceKind.Property, EvidenceKind.Adjoint, EvidenceKind.KernelVsMath,
        };

    public static readonly IReadOnlySet<EvidenceKind> OracleKinds = new HashSet<EvidenceKind> { EvidenceKind.Oracle };

    /// <summary>Kinds both projects use: each owns the entries whose check lies in its own assembly (namespace prefix).</summary>
    public static readonly IReadOnlySet<EvidenceKind> SharedKinds = new HashSet<EvidenceKind> { EvidenceKind.Consistency };

    /// <summary>Whether a sync of <paramref name="owned"/> kinds from the assembly whose checks start with
    /// <paramref name="checkPrefix"/> owns the entry.</summary>
    static bool Owns(IReadOnlySet<EvidenceKind> owned, string? checkPrefix, EvidenceKind kind, string check) =>
        owned.Contains(kind)
        || (SharedKinds.Contains(kind) && checkPrefix is not null && check.StartsWith(checkPrefix, StringComparison.Ordinal));

    public static string FixCommand(string testProject) => $"{UpdateVariable}=1 dotnet test {testProject} --filter Ledger_Evidence";

    /// <summary>
    /// Every [Evidence] on every method of the assembly, and one use per item of every [EvidenceFrom]'s data; the check
    /// is the method's Namespace.Class.Method. A member an [EvidenceFrom] names that is missing or returns no item names
    /// throws, naming the method.
    /// </summary>
    public static IReadOnlyList<EvidenceUse> Collect(Assembly assembly)
    {
        Type[] types;
        try { types = assembly.GetTypes(); }
        catch (ReflectionTypeLoadException e) { types = e.Types.OfType<Type>().ToArray(); }
        const BindingFlags all =
            BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        return types
            .SelectMany(t => t.GetMethods(all).SelectMany(m => Uses(t, m)))
            .Distinct().OrderBy(u => u.Item, StringComparer.Ordinal).ThenBy(u => u.Check, StringComparer.Ordinal).ToList();
    }

    static IEnumerable<EvidenceUse> Uses(Type type, MethodInfo method)
    {
        string check = $"{(type.FullName ?? type.Name).Replace('+', '.')}.{method.Name}";
        foreach (var a in method.GetCustomAttributes<EvidenceAttribute>())
            yield return new EvidenceUse(a.Item, a.Kind, check);
        foreach (var a in method.GetCustomAttributes<EvidenceFromAttribute>())
            foreach (string item in ItemsOf(type, a, check))
                yield return new EvidenceUse(item, a.Kind, check);
    }

    static IEnumerable<string> ItemsOf(Type type, EvidenceFromAttribute from, string check)
    {
        const BindingFlags statics = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static;
        MemberInfo? member = (MemberInfo?)type.GetMethod(from.Items, statics, Type.EmptyTypes) ?? type.GetProperty(from.Items, statics);
        object? value;
        try
        {
            value = member switch
            {
                MethodInfo m => m.Invoke(null, null),
                PropertyInfo p => p.GetValue(null),
                _ => null,
            };
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw new InvalidOperationException(
                $"[EvidenceFrom({from.Kind}, \"{from.Items}\")] on {check}: reading the items threw", e.InnerException);
        }
        return value as IEnumerable<string> ?? throw new InvalidOperationException(
            $"[EvidenceFrom({from.Kind}, \"{from.Items}\")] on {check}: {type.Name} has no static parameterless method or " +
            "property of that name returning item names");
    }

    public static EvidenceSyncReport Compare(ProofsLedger ledger, IEnumerable<EvidenceUse> uses, IReadOnlySet<EvidenceKind> owned,
        string? checkPrefix = null)
    {
        var list = uses.ToList();
        bool Mine(EvidenceKind kind, string check) => Owns(owned, checkPrefix, kind, check);
        var errors = new List<string>();
        foreach (var u in list.Where(u => ledger.FindEntry(u.Item) is null))
            errors.Add($"[Evidence(\"{u.Item}\", {u.Kind})] on {u.Check} names no ledger item");
        foreach (var u in list.Where(u => !Mine(u.Kind, u.Check)))
            errors.Add($"[Evidence(\"{u.Item}\", {u.Kind})] on {u.Check}: evidence of kind {LedgerVocabulary.KindName(u.Kind)} " +
                $"belongs in the test project that owns it ({Owner(u.Kind)})");

        var found = list.Where(u => Mine(u.Kind, u.Check) && ledger.FindEntry(u.Item) is not null)
            .ToLookup(u => u.Item, u => new EvidenceEntry(u.Kind, u.Check));
        var drift = new List<EvidenceDrift>();
        foreach (var item in ledger.Items.Concat(ledger.Bindings))
        {
            var listed = item.Evidence.Where(e => Mine(e.Kind, e.Check)).ToHashSet();
            var actual = found[item.Name].ToHashSet();
            var missing = actual.Except(listed).Order().ToList();
            var stale = listed.Except(actual).Order().ToList();
            if (missing.Count > 0 || stale.Count > 0) drift.Add(new EvidenceDrift(item, missing, stale));
        }
        return new EvidenceSyncReport(errors, drift, []);
    }

    static string Owner(EvidenceKind kind) => OracleKinds.Contains(kind) ? "tests/Oracle" : "tests/FiniteDifference";

    /// <summary>The ledger with every item's entries of the owned kinds replaced by the attributes' entries.</summary>
    public static ProofsLedger Apply(ProofsLedger ledger, IEnumerable<EvidenceUse> uses, IReadOnlySet<EvidenceKind> owned,
        string? checkPrefix = null)
    {
        var found = uses.Where(u => Owns(owned, checkPrefix, u.Kind, u.Check))
            .ToLookup(u => u.Item, u => new EvidenceEntry(u.Kind, u.Check));
        return ledger.With(item => item with
        {
            Evidence = item.Evidence.Where(e => !Owns(owned, checkPrefix, e.Kind, e.Check))
                .Concat(found[item.Name]).Distinct().Order().ToList(),
        });
    }

    /// <summary>
    /// Compares the assembly's attributes with the ledger in <paramref name="ledgerDirectory"/>; when <paramref name="update"/>
    /// (default: LMV_UPDATE_EVIDENCE=1) and nothing unfixable was found, rewrites the drifting chapter files instead.
    /// A lock shared by all test processes keeps two projects from rewriting the same file at once.
    /// </summary>
    public static EvidenceSyncReport Sync(Assembly assembly, IReadOnlySet<EvidenceKind> owned, string? ledgerDirectory = null,
        bool? update = null)
    {
        string dir = Path.GetFullPath(ledgerDirectory ?? LedgerLocation.DefaultDirectory());
        bool rewrite = update ?? Environment.GetEnvironmentVariable(UpdateVariable) == "1";
        var uses = Collect(assembly);
        string prefix = assembly.GetName().Name + ".";
        using var _ = rewrite ? AcquireLock(dir) : null;
        var ledger = ProofsLedger.Load(dir);
        var report = Compare(ledger, uses, owned, prefix);
        if (!rewrite || report.Errors.Count > 0 || report.Drift.Count == 0) return report;
        var written = LedgerFiles.Save(Apply(ledger, uses, owned, prefix));
        return report with { Drift = [], Updated = written };
    }

    /// <summary>Items whose declared requires_evidence kinds are not all present in their evidence lists.</summary>
    public static IReadOnlyList<string> MissingRequiredEvidence(ProofsLedger ledger) =>
        ledger.Items.SelectMany(item => item.RequiresEvidence
                .Where(k => item.Evidence.All(e => e.Kind != k))
                .Select(k => $"{item.Source.File}: {item.Label}: requires {LedgerVocabulary.KindName(k)} evidence and has none"))
            .ToList();

    static FileStream AcquireLock(string ledgerDirectory)
    {
        string key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(ledgerDirectory)))[..16];
        string path = Path.Combine(Path.GetTempPath(), $"lmv-ledger-{key}.lock");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try { return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
            catch (IOException) when (DateTime.UtcNow < deadline) { Thread.Sleep(100); }
        }
    }
}
