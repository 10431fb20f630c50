namespace LeanMlirVerify.Calculus.Ledger;

/// <summary>How a check supports a ledger item. "Checked", never "proved".</summary>
public enum EvidenceKind
{
    /// <summary>Exact symbolic derivation compared with the item's closed form.</summary>
    Symbolic,
    /// <summary>Float64 central finite differences against the TorchSharp backward.</summary>
    FiniteDifference,
    /// <summary>A randomized property (FsCheck) over shapes and points.</summary>
    Property,
    /// <summary>Dot-product (adjoint) test at real sizes.</summary>
    Adjoint,
    /// <summary>The float64 kernel that trains against the symbolic closed form at the same points, at a batch.</summary>
    KernelVsMath,
    /// <summary>libtorch autograd as oracle.</summary>
    Oracle,
    /// <summary>
    /// A rule against itself (float32 against float64 of the same code, with and without dx, one strategy against
    /// another): it finds drift between the rule's own forms, and is NOT evidence for the formula. Listed so that it is
    /// never mistaken for evidence; each test project owns the consistency entries of its own tests.
    /// </summary>
    Consistency,
}

/// <summary>
/// Marks a test method as evidence for a ledger item. The ledger's evidence lists are kept equal to
/// these attributes (and to <see cref="EvidenceFromAttribute"/>'s data) by a drift test in each test project (see the
/// README's "Evidence" section).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class EvidenceAttribute(string item, EvidenceKind kind) : Attribute
{
    public string Item { get; } = item;
    public EvidenceKind Kind { get; } = kind;
}

/// <summary>
/// Marks a test method that checks every row of a table whose rows name their ledger items (a theory over the rule
/// catalog): its evidence is one entry of <see cref="Kind"/> for each item that the static member named
/// <see cref="Items"/> of the same class returns, read when evidence is collected. The table stays the one statement
/// of what the test checks; no attribute restates it.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class EvidenceFromAttribute(EvidenceKind kind, string items) : Attribute
{
    public EvidenceKind Kind { get; } = kind;

    /// <summary>A static parameterless method or static property of the test's class returning the item names.</summary>
    public string Items { get; } = items;
}
