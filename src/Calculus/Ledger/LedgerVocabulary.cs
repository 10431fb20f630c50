namespace LeanMlirVerify.Calculus.Ledger;

/// <summary>The words the ledger files use for kinds, buckets and evidence kinds, in one place for reader and writer.</summary>
public static class LedgerVocabulary
{
    public static readonly IReadOnlyDictionary<string, ItemKind> ItemKinds = new Dictionary<string, ItemKind>
    {
        ["axiom"] = ItemKind.Axiom, ["theorem"] = ItemKind.Theorem, ["definition"] = ItemKind.Definition,
    };

    public static readonly IReadOnlyDictionary<string, AxiomBucket> Buckets = new Dictionary<string, AxiomBucket>
    {
        ["subgradient-at-kink"] = AxiomBucket.SubgradientAtKink,
        ["bundled-input-vjp"] = AxiomBucket.BundledInputVjp,
        ["bundled-multihead-sdpa"] = AxiomBucket.BundledMultiheadSdpa,
        ["patch-embedding-interface"] = AxiomBucket.PatchEmbeddingInterface,
    };

    public static readonly IReadOnlyDictionary<string, EvidenceKind> EvidenceKinds = new Dictionary<string, EvidenceKind>
    {
        ["symbolic"] = EvidenceKind.Symbolic,
        ["finite-difference"] = EvidenceKind.FiniteDifference,
        ["property"] = EvidenceKind.Property,
        ["adjoint"] = EvidenceKind.Adjoint,
        ["kernel-vs-math"] = EvidenceKind.KernelVsMath,
        ["oracle"] = EvidenceKind.Oracle,
        ["consistency"] = EvidenceKind.Consistency,
    };

    public static string KindName(ItemKind kind) => ItemKinds.First(p => p.Value == kind).Key;
    public static string KindTitle(ItemKind kind) => kind switch
    {
        ItemKind.Axiom => "Axiom", ItemKind.Theorem => "Theorem", _ => "Definition",
    };
    public static string BucketName(AxiomBucket bucket) => Buckets.First(p => p.Value == bucket).Key;
    public static string KindName(EvidenceKind kind) => EvidenceKinds.First(p => p.Value == kind).Key;

    /// <summary>Item names are identifiers (the book's Lean names), so they can be C# constants and DOT ids.</summary>
    public static bool IsIdentifier(string s) =>
        s.Length > 0 && (char.IsAsciiLetter(s[0]) || s[0] == '_') && s.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    /// <summary>A convention id: lower-case words of letters and digits joined by '-' (<c>gelu-forms</c>).</summary>
    public static bool IsConventionId(string s) =>
        s.Split('-').All(w => w.Length > 0 && w.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)));
}
