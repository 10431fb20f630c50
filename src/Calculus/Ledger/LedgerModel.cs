namespace LeanMlirVerify.Calculus.Ledger;

/// <summary>The three kinds of numbered item; axioms, theorems and definitions share one counter.</summary>
public enum ItemKind { Axiom, Theorem, Definition }

/// <summary>One entry of an item's evidence list: a test method (Namespace.Class.Method) and how it checks the item.</summary>
public sealed record EvidenceEntry(EvidenceKind Kind, string Check) : IComparable<EvidenceEntry>
{
    public int CompareTo(EvidenceEntry? other) =>
        other is null ? 1 : Kind != other.Kind ? Kind.CompareTo(other.Kind) : string.CompareOrdinal(Check, other.Check);

    public override string ToString() => $"{LedgerVocabulary.KindName(Kind)}: {Check}";
}

/// <summary>Where a ledger element was read from: the file relative to the ledger folder and the 1-based line (0 when unknown).</summary>
public readonly record struct SourceLocation(string File, int Line)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}" : File;
}

/// <summary>
/// One numbered item of the book: an axiom, theorem or definition, with its statement, dependencies (<see cref="Uses"/>, by
/// item name), the ids of the conventions it follows, the reasons an axiom stays one, and the tests that check it. The
/// same record holds an un-numbered binding (bindings.yaml, <see cref="IsBinding"/>): a rule the runtime runs whose
/// function is not the numbered item it is a variant of (the tanh GELU beside Theorem 61), with its own statement,
/// uses and evidence, so that no numbered item's evidence mixes checks of two functions.
/// </summary>
public sealed record LedgerItem
{
    public required int Number { get; init; }
    public required ItemKind Kind { get; init; }
    public required int Chapter { get; init; }
    public required string Name { get; init; }
    public required string Title { get; init; }
    public required string Statement { get; init; }
    public required IReadOnlyList<string> Uses { get; init; }
    /// <summary>Ids of <see cref="LedgerConvention"/>s (conventions.yaml) the item follows.</summary>
    public IReadOnlyList<string> Conventions { get; init; } = [];
    /// <summary>For axioms: which of the book's four buckets (Appendix B.1) keeps it an axiom.</summary>
    public AxiomBucket? AxiomBucket { get; init; }
    public string? WhyAxiom { get; init; }
    /// <summary>The name of the book's finite-difference check that covers this item, if any.</summary>
    public string? FdCheck { get; init; }
    /// <summary>For an axiom no FD check can cover: why.</summary>
    public string? NoFdReason { get; init; }
    public string? Notes { get; init; }
    /// <summary>Evidence kinds this item must have; a drift test enforces what is declared.</summary>
    public IReadOnlyList<EvidenceKind> RequiresEvidence { get; init; } = [];
    public IReadOnlyList<EvidenceEntry> Evidence { get; init; } = [];
    public SourceLocation Source { get; init; }

    /// <summary>For a binding: the numbered item whose function this one stands beside (a variant of); null for an item.</summary>
    public string? VariantOf { get; init; }

    /// <summary>An un-numbered binding of bindings.yaml (number 0, kind theorem), not one of the book's 103 items.</summary>
    public bool IsBinding => VariantOf is not null;

    public bool IsAxiom => Kind == ItemKind.Axiom;

    /// <summary>"Theorem 29 pdiv_dense" ("Binding gelu_tanh_has_vjp"), the form every message uses.</summary>
    public string Label => IsBinding ? $"Binding {Name}" : $"{LedgerVocabulary.KindTitle(Kind)} {Number} {Name}";

    public EvidenceStatus EvidenceStatus
    {
        get
        {
            // A consistency check compares a rule with itself: it is not evidence for the formula.
            var kinds = Evidence.Select(e => e.Kind).Where(k => k != EvidenceKind.Consistency).ToHashSet();
            if (kinds.Count == 0) return EvidenceStatus.None;
            bool full = kinds.Contains(EvidenceKind.Symbolic) && kinds.Contains(EvidenceKind.FiniteDifference)
                && kinds.Contains(EvidenceKind.Oracle);
            return full ? EvidenceStatus.Full : EvidenceStatus.Some;
        }
    }
}

/// <summary>
/// A convention stated once (conventions.yaml) and referenced by id from every item that follows it: ReLU′(0), SAME
/// padding, max-pool ties, BN and LayerNorm statistics, GELU's two forms, the CE reduction, parameter arithmetic.
/// </summary>
public sealed record LedgerConvention(string Id, string Text, SourceLocation Source);

/// <summary>The book's four reasons an axiom survives (Appendix B.1).</summary>
public enum AxiomBucket { SubgradientAtKink, BundledInputVjp, BundledMultiheadSdpa, PatchEmbeddingInterface }

/// <summary>How well an item is checked: nothing yet, something, or symbolic + finite-difference + oracle.</summary>
public enum EvidenceStatus { None, Some, Full }

/// <summary>One chapter file: its items in order and the chapter's row data for the budget table.</summary>
public sealed record LedgerChapter(int Number, string Title, string Unlocks, string? Notes, string File, IReadOnlyList<LedgerItem> Items);

/// <summary>An architecture a reader may target: the headline items whose closure is what the architecture needs.</summary>
public sealed record ArchitectureTarget(
    string Name, int Chapter, string Architecture, string? Extends, IReadOnlyList<string> Headline, string Reason, SourceLocation Source);
