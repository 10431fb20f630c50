namespace LeanMlirVerify.Calculus.Ledger;

/// <summary>A path along <c>uses</c> edges from an item down to one of the items it rests on.</summary>
public sealed record DependencyPath(LedgerItem Root, IReadOnlyList<LedgerItem> Path);

/// <summary>What an item ultimately rests on: axioms and definitions, each with one shortest path to it.</summary>
public sealed record WhyReport(LedgerItem Item, IReadOnlyList<DependencyPath> Axioms, IReadOnlyList<DependencyPath> Definitions);

/// <summary>Queries over the <c>uses</c> graph: ancestors, dependents, a target's closure, and why an item holds.</summary>
public static class LedgerGraph
{
    /// <summary>The item and everything it transitively uses, in number order.</summary>
    public static IReadOnlyList<LedgerItem> Ancestors(ProofsLedger ledger, LedgerItem item) => Closure(ledger, [item.Name]);

    /// <summary>The item and everything that transitively uses it, in number order.</summary>
    public static IReadOnlyList<LedgerItem> Dependents(ProofsLedger ledger, LedgerItem item)
    {
        var users = ledger.Items.SelectMany(i => i.Uses.Select(u => (Used: u, User: i)))
            .ToLookup(p => p.Used, p => p.User);
        var seen = new HashSet<string> { item.Name };
        var queue = new Queue<LedgerItem>([item]);
        while (queue.TryDequeue(out var next))
            foreach (var user in users[next.Name])
                if (seen.Add(user.Name)) queue.Enqueue(user);
        return ledger.Items.Where(i => seen.Contains(i.Name)).ToList();
    }

    /// <summary>The named items and everything they transitively use, in number order.</summary>
    public static IReadOnlyList<LedgerItem> Closure(ProofsLedger ledger, IEnumerable<string> names)
    {
        var seen = new HashSet<string>();
        var stack = new Stack<LedgerItem>(names.Select(n => ledger[n]));
        while (stack.TryPop(out var item))
            if (seen.Add(item.Name))
                foreach (var used in ledger.UsesOf(item)) stack.Push(used);
        return ledger.Items.Where(i => seen.Contains(i.Name)).ToList();
    }

    /// <summary>A target's headline items, including those of the targets it extends.</summary>
    public static IReadOnlyList<string> Headline(ProofsLedger ledger, ArchitectureTarget target)
    {
        var names = new List<string>();
        var visited = new HashSet<string>();
        for (var t = target; t is not null && visited.Add(t.Name); t = t.Extends is null ? null : ledger.FindTarget(t.Extends))
            names.InsertRange(0, t.Headline.Where(n => !names.Contains(n)));
        return names.Distinct().ToList();
    }

    public static IReadOnlyList<LedgerItem> TargetClosure(ProofsLedger ledger, ArchitectureTarget target) =>
        Closure(ledger, Headline(ledger, target));

    /// <summary>The axioms and definitions <paramref name="item"/> rests on, each with one shortest path (breadth-first).</summary>
    public static WhyReport Why(ProofsLedger ledger, LedgerItem item)
    {
        var parent = new Dictionary<string, LedgerItem?> { [item.Name] = null };
        var order = new List<LedgerItem>();
        var queue = new Queue<LedgerItem>([item]);
        while (queue.TryDequeue(out var next))
        {
            order.Add(next);
            foreach (var used in ledger.UsesOf(next))
                if (parent.TryAdd(used.Name, next)) queue.Enqueue(used);
        }
        DependencyPath PathTo(LedgerItem root)
        {
            var path = new List<LedgerItem>();
            for (LedgerItem? at = root; at is not null; at = parent[at.Name]) path.Insert(0, at);
            return new DependencyPath(root, path);
        }
        var roots = order.Where(i => i.Name != item.Name || i.IsAxiom).OrderBy(i => i.Number).ToList();
        return new WhyReport(item,
            roots.Where(i => i.IsAxiom).Select(PathTo).ToList(),
            roots.Where(i => i.Kind == ItemKind.Definition && i.Name != item.Name).Select(PathTo).ToList());
    }
}
