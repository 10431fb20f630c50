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
    /// <summary>libtorch autograd as oracle.</summary>
    Oracle,
}

/// <summary>
/// Marks a test method as evidence for a ledger item. The ledger's evidence lists are kept equal to
/// these attributes by a drift test in each test project (see the README's "Evidence" section).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class EvidenceAttribute(string item, EvidenceKind kind) : Attribute
{
    public string Item { get; } = item;
    public EvidenceKind Kind { get; } = kind;
}
