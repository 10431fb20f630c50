namespace LeanMlirVerify.Calculus.Ledger;

/// <summary>
/// The structural rules a ledger must satisfy before anything can use it: unique numbers and names, every <c>uses</c>
/// resolves to an earlier item, no cycle, and every target's items exist.
/// </summary>
public static class LedgerStructure
{
    /// <param name="ledger">The items and targets that were read.</param>
    /// <param name="unread">Names of items and targets whose file or entry could not be read: the loader has reported
    /// that once, so a reference to one of them is not also reported as missing.</param>
    public static IReadOnlyList<LedgerFinding> Check(ProofsLedger ledger, IReadOnlySet<string>? unread = null)
    {
        unread ??= new HashSet<string>();
        var findings = new List<LedgerFinding>();
        void Add(LedgerItem item, string problem) => findings.Add(new(item.Source.File, item.Source.Line, item.Label, problem));

        foreach (var group in ledger.Items.GroupBy(i => i.Number).Where(g => g.Count() > 1))
            foreach (var item in group.Skip(1))
                Add(item, $"duplicate number {item.Number} (also {group.First().Label} at {group.First().Source})");
        var all = ledger.Chapters.SelectMany(c => c.Items).ToList();
        foreach (var group in all.GroupBy(i => i.Name).Where(g => g.Count() > 1))
            foreach (var item in group.Skip(1))
                Add(item, $"duplicate name '{item.Name}' (also {group.First().Label} at {group.First().Source})");

        foreach (var item in ledger.Items)
        {
            foreach (string use in item.Uses)
            {
                var target = ledger.Find(use);
                if (target is null && unread.Contains(use)) continue;
                if (target is null) Add(item, $"uses '{use}', which is not a ledger item (dangling edge)");
                else if (target.Name == item.Name) Add(item, "uses itself");
                else if (target.Number >= item.Number)
                    Add(item, $"uses '{use}' ({target.Label}), which does not come before it " +
                        "(forward edge; uses must point to lower numbers)");
            }
        }
        foreach (var cycle in Cycles(ledger))
        {
            var first = ledger[cycle[0]];
            Add(first, $"cycle in uses: {string.Join(" → ", cycle.Append(cycle[0]))}");
        }

        CheckBindings(ledger, unread, findings);

        var targetNames = ledger.Targets.Select(t => t.Name).ToHashSet();
        foreach (var group in ledger.Targets.GroupBy(t => t.Name).Where(g => g.Count() > 1))
            findings.Add(new(group.Last().Source.File, group.Last().Source.Line, $"target {group.Key}", "duplicate target name"));
        foreach (var target in ledger.Targets)
        {
            foreach (string name in target.Headline.Where(n => ledger.Find(n) is null && !unread.Contains(n)))
                findings.Add(new(target.Source.File, target.Source.Line, $"target {target.Name}",
                    $"headline item '{name}' is not a ledger item"));
            if (target.Extends is { } e && !targetNames.Contains(e) && !unread.Contains(e))
                findings.Add(new(target.Source.File, target.Source.Line, $"target {target.Name}", $"extends '{e}', which is not a target"));
        }
        return findings;
    }

    /// <summary>
    /// A binding's name is its own (no item's, no other binding's), its variant_of is a numbered item, and it uses only
    /// numbered items (no item may use a binding: an item's uses resolve among items only, so that is a dangling edge).
    /// </summary>
    static void CheckBindings(ProofsLedger ledger, IReadOnlySet<string> unread, List<LedgerFinding> findings)
    {
        void Add(LedgerItem binding, string problem) =>
            findings.Add(new(binding.Source.File, binding.Source.Line, binding.Label, problem));
        var seen = new Dictionary<string, LedgerItem>();
        foreach (var b in ledger.Bindings)
        {
            if (ledger.Find(b.Name) is { } item) Add(b, $"duplicate name '{b.Name}' (also {item.Label} at {item.Source})");
            else if (!seen.TryAdd(b.Name, b)) Add(b, $"duplicate name '{b.Name}' (also at {seen[b.Name].Source})");
            if (ledger.Find(b.VariantOf!) is null && !unread.Contains(b.VariantOf!))
                Add(b, $"variant_of '{b.VariantOf}', which is not a numbered ledger item");
            foreach (string use in b.Uses.Where(u => ledger.Find(u) is null && !unread.Contains(u)))
                Add(b, $"uses '{use}', which is not a numbered ledger item (dangling edge)");
        }
    }

    /// <summary>Each elementary cycle found by depth-first search, once, as the list of names along it.</summary>
    static List<List<string>> Cycles(ProofsLedger ledger)
    {
        var cycles = new List<List<string>>();
        var state = new Dictionary<string, int>(); // 1 = on the stack, 2 = done
        var stack = new List<string>();
        void Visit(LedgerItem item)
        {
            state[item.Name] = 1;
            stack.Add(item.Name);
            foreach (var next in ledger.UsesOf(item).Where(n => n.Name != item.Name))
            {
                int s = state.GetValueOrDefault(next.Name);
                if (s == 1) cycles.Add(stack.Skip(stack.IndexOf(next.Name)).ToList());
                else if (s == 0) Visit(next);
            }
            stack.RemoveAt(stack.Count - 1);
            state[item.Name] = 2;
        }
        foreach (var item in ledger.Items)
            if (state.GetValueOrDefault(item.Name) == 0) Visit(item);
        return cycles;
    }
}
