using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Vjp.Algebra;
using static TorchSharp.torch;

namespace LeanMlirVerify.Training.Graph;

/// <summary>
/// What a network's backward rests on: the ledger items its rules name (read from the built graph's
/// <c>Describe()</c>, so it is the code that trains, not a list kept by hand) and everything those items use. A rule
/// whose function is not a numbered item's names an un-numbered binding (the tanh GELU); <see cref="Bindings"/> lists
/// those, and <see cref="Closure"/> holds what they use.
/// </summary>
public sealed record NetworkDerivation(NetSpec Spec, IReadOnlyList<string> Direct, IReadOnlyList<LedgerItem> Closure)
{
    /// <summary>The bindings (bindings.yaml) the rules name, each with its own statement and evidence.</summary>
    public IReadOnlyList<LedgerItem> Bindings { get; init; } = [];

    public static NetworkDerivation Of(NetSpec spec, ProofsLedger ledger)
    {
        using var scope = NewDisposeScope();
        var network = NetworkBuilder.Build(spec);
        var all = network.Root.Describe().Items();
        // Items a custom layer's rule names are its author's, not the ledger's: listed apart, never looked up.
        var custom = spec.Layers.Select((l, i) => (l, i)).Where(p => p.l is CustomLayer)
            .Select(p => (Layer: (CustomLayer)p.l, Index: p.i, Items: CustomItems((CustomLayer)p.l))).ToList();
        var ownItems = custom.SelectMany(c => c.Items).Where(name => ledger.FindEntry(name) is null).ToHashSet();
        var direct = all.Where(name => !ownItems.Contains(name)).ToList();
        var unknown = direct.Where(name => ledger.FindEntry(name) is null).ToList();
        if (unknown.Count > 0)
            throw new InvalidOperationException(
                $"{spec.Name}: its rules name items the ledger lacks: {string.Join(", ", unknown)} (proofs-ledger/)");
        var bindings = direct.Select(ledger.FindBinding).OfType<LedgerItem>().ToList();
        var numbered = direct.Where(name => ledger.Find(name) is not null).Concat(bindings.SelectMany(b => b.Uses));
        return new(spec, direct, LedgerGraph.Closure(ledger, numbered))
        {
            Bindings = bindings,
            Custom = [.. custom.Select(c => $"layer {c.Index}: {c.Layer.TypeName} ({string.Join(", ", c.Items)})")],
        };
    }

    /// <summary>The custom layers, each with the items its rule names: outside the ledger, checked by GradCheck.Rule instead.</summary>
    public IReadOnlyList<string> Custom { get; init; } = [];

    static IReadOnlyList<string> CustomItems(CustomLayer layer)
    {
        using var scope = NewDisposeScope();
        var rule = layer.Impl.Rule(Init.Float64Cpu(0), "custom");
        try { return rule.Describe().Items(); }
        finally
        {
            foreach (var p in rule.Parameters)
            {
                p.Value.Dispose();
                p.Grad.Dispose();
            }
        }
    }

    /// <summary>Items grouped as axioms, theorems, definitions; '*' marks the items the rules name themselves.</summary>
    public string Text()
    {
        var lines = new List<string>
        {
            $"{Spec.Name}: its backward rests on {Closure.Count} ledger items " +
            $"({Count(ItemKind.Axiom)} axioms, {Count(ItemKind.Theorem)} theorems, {Count(ItemKind.Definition)} definitions)" +
            (Bindings.Count == 0 ? "" : $" and {Bindings.Count} un-numbered binding{(Bindings.Count == 1 ? "" : "s")}") +
            $"; * marks the {Direct.Count} its rules name directly.",
        };
        foreach (var kind in new[] { ItemKind.Axiom, ItemKind.Theorem, ItemKind.Definition })
        {
            var items = Closure.Where(i => i.Kind == kind).OrderBy(i => i.Number).ToList();
            lines.Add("");
            lines.Add($"{LedgerVocabulary.KindTitle(kind)}s ({items.Count}):");
            foreach (var i in items)
            {
                string mark = Direct.Contains(i.Name) ? "*" : " ";
                lines.Add($"  {mark}{i.Number,3} {i.Name,-38} {i.Title,-52} checked by: {CheckedBy(i)}");
            }
        }
        if (Bindings.Count > 0)
        {
            lines.Add("");
            lines.Add($"Bindings ({Bindings.Count}): functions the net runs in place of a numbered item's, each checked as itself:");
            foreach (var b in Bindings)
            {
                lines.Add($"  *    {b.Name,-38} {b.Title,-52} checked by: {CheckedBy(b)}");
                lines.Add($"         variant of {b.VariantOf} ({string.Join(", ", b.Conventions)}): {b.Statement.Split('\n')[0]}");
            }
        }
        if (Custom.Count > 0)
        {
            lines.Add("");
            lines.Add($"Custom layers ({Custom.Count}): rules written outside the library; the ledger says nothing about them, "
                + "lmv train and lmv check --twin check each with GradCheck.Rule:");
            lines.AddRange(Custom.Select(c => $"  {c}"));
        }
        var shared = Closure.Concat(Bindings).Where(SharesItsKernel).Select(i => i.Name).ToList();
        if (shared.Count > 0)
        {
            lines.Add("");
            lines.Add($"† oracle not independent ({NativeKernel}): under training's strategy the rule runs libtorch's own kernel, "
                + "which autograd's backward runs too, so there the autograd comparison checks the kernel against itself; its "
                + "independent evidence is symbolic and finite-difference (and kernel-vs-math binds the kernel to the closed form):");
            lines.AddRange(shared.Select(name => $"  {name}: {string.Join(", ", NativeKernels.Uses.Where(u => u.Item == name)
                .Select(u => $"{u.Kernel} ({u.Strategy})"))}"));
        }
        int unchecked_ = Closure.Concat(Bindings).Count(i => i.EvidenceStatus == EvidenceStatus.None && i.Kind != ItemKind.Definition);
        lines.Add("");
        lines.Add($"{unchecked_} of the axioms and theorems above have no evidence yet.");
        return string.Join('\n', lines);
    }

    int Count(ItemKind kind) => Closure.Count(i => i.Kind == kind);

    string CheckedBy(LedgerItem item)
    {
        // A consistency check (a rule against itself) is not evidence for the formula: it is not listed here.
        var evidence = item.Evidence.Where(e => e.Kind != EvidenceKind.Consistency)
            .Select(e => LedgerVocabulary.KindName(e.Kind)).Distinct().ToList();
        var oracle = LedgerVocabulary.KindName(EvidenceKind.Oracle);
        if (SharesItsKernel(item)) evidence = [.. evidence.Select(k => k == oracle ? k + "†" : k)];
        return evidence.Count == 0 ? "none yet" : string.Join(", ", evidence);
    }

    /// <summary>The ledger convention of items whose training strategy runs a libtorch kernel (NativeKernels.Uses).</summary>
    public const string NativeKernel = "native-kernel";

    // Only items this net's rules name themselves: an item reached through `uses` (BN under LayerNorm) is not run here.
    bool SharesItsKernel(LedgerItem item) => item.Conventions.Contains(NativeKernel) && Direct.Contains(item.Name);
}
