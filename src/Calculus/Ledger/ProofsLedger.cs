namespace LeanMlirVerify.Calculus.Ledger;

/// <summary>
/// The book's numbered items, read from proofs-ledger/. Items are ordered by number; <see cref="Find"/> looks one up by
/// its name (use the <see cref="ItemId"/> constants). Loading checks the structure (see <see cref="LedgerStructure"/>);
/// <see cref="LedgerAudit"/> checks the book's counts.
/// </summary>
public sealed class ProofsLedger
{
    readonly Dictionary<string, LedgerItem> _byName;
    readonly Dictionary<string, LedgerConvention> _conventions;
    readonly Dictionary<string, LedgerItem> _bindings;

    public ProofsLedger(string directory, IReadOnlyList<LedgerChapter> chapters, IReadOnlyList<ArchitectureTarget> targets,
        IReadOnlyList<LedgerConvention>? conventions = null, IReadOnlyList<LedgerItem>? bindings = null)
    {
        Directory = directory;
        Chapters = chapters.OrderBy(c => c.Number).ToList();
        Items = Chapters.SelectMany(c => c.Items).OrderBy(i => i.Number).ToList();
        Targets = targets;
        Conventions = conventions ?? [];
        _byName = Items.GroupBy(i => i.Name).ToDictionary(g => g.Key, g => g.First());
        _conventions = Conventions.GroupBy(c => c.Id).ToDictionary(g => g.Key, g => g.First());
        Bindings = bindings ?? [];
        _bindings = Bindings.GroupBy(b => b.Name).ToDictionary(g => g.Key, g => g.First());
    }

    public string Directory { get; }
    public IReadOnlyList<LedgerChapter> Chapters { get; }
    public IReadOnlyList<LedgerItem> Items { get; }
    public IReadOnlyList<ArchitectureTarget> Targets { get; }

    /// <summary>The named conventions of conventions.yaml, in file order.</summary>
    public IReadOnlyList<LedgerConvention> Conventions { get; }

    /// <summary>The un-numbered bindings of bindings.yaml, in file order; never part of <see cref="Items"/> or its counts.</summary>
    public IReadOnlyList<LedgerItem> Bindings { get; }

    public static ProofsLedger Load(string directory) => LedgerLoader.Load(directory);

    /// <summary>The repository's proofs-ledger/, found by walking up to LeanMlirVerify.sln.</summary>
    public static ProofsLedger LoadDefault() => Load(LedgerLocation.DefaultDirectory());

    /// <summary>The numbered item of that name, or null (bindings are not numbered items: see <see cref="FindEntry"/>).</summary>
    public LedgerItem? Find(string name) => _byName.GetValueOrDefault(name);

    public LedgerItem? FindBinding(string name) => _bindings.GetValueOrDefault(name);

    /// <summary>A numbered item or a binding of that name: what a rule or an [Evidence] attribute may name.</summary>
    public LedgerItem? FindEntry(string name) => Find(name) ?? FindBinding(name);

    /// <summary>The item of that name; an unknown name throws, listing the valid ones.</summary>
    public LedgerItem this[string name] => Find(name)
        ?? throw new KeyNotFoundException($"no ledger item named '{name}'; valid names: {string.Join(", ", Items.Select(i => i.Name))}");

    /// <summary>The convention of that id; an unknown id throws (the loader has refused any reference to one).</summary>
    public LedgerConvention Convention(string id) => _conventions.GetValueOrDefault(id)
        ?? throw new KeyNotFoundException($"no ledger convention '{id}'; defined: {string.Join(", ", Conventions.Select(c => c.Id))}");

    public ArchitectureTarget? FindTarget(string name) => Targets.FirstOrDefault(t => t.Name == name);

    /// <summary>The items named in <paramref name="item"/>'s uses.</summary>
    public IEnumerable<LedgerItem> UsesOf(LedgerItem item) => item.Uses.Select(Find).OfType<LedgerItem>();

    /// <summary>A copy with some items replaced (same name), for rewriting evidence lists or building test cases.</summary>
    public ProofsLedger With(Func<LedgerItem, LedgerItem> change) =>
        new(Directory, Chapters.Select(c => c with { Items = c.Items.Select(change).ToList() }).ToList(), Targets, Conventions,
            Bindings.Select(change).ToList());
}
