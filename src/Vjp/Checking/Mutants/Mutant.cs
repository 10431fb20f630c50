using LeanMlirVerify.Vjp.Algebra;
using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.Checking.Mutants;

/// <summary>The kind of defect a mutant puts into a rule.</summary>
public enum MutantKind
{
    /// <summary>A bug a careful reviewer put into the source (issue 14's ten, and a few more).</summary>
    Realistic,
    /// <summary>A term of the backward left out.</summary>
    DroppedTerm,
    /// <summary>A factor or axis transposed, flipped or reindexed wrongly.</summary>
    TransposedFactor,
    /// <summary>The derivative at a kink (ReLU, ReLU6, hard-swish, hard-sigmoid, max-pool ties) by another convention.</summary>
    WrongKink,
    /// <summary>A cotangent off by a factor (1.001, or a mean for a sum).</summary>
    Scale,
    /// <summary>A wrong term (a wrong constant, a sign, a term counted twice).</summary>
    WrongTerm,
}

/// <summary>
/// One faulty variant of a rule, as data: the catalog rule it belongs to (a <c>RuleCatalog</c> id), what is wrong, and how
/// it is applied — a fault that, while <see cref="Within{T}"/> runs, alters the pullbacks of the nodes it matches,
/// computed from the same pieces as the correct pullback (x, y, dy, the correct dx and parameter cotangents). Nothing is
/// edited and nothing outside <see cref="Within{T}"/> sees the mutant: training cannot reach it.
/// </summary>
public sealed class Mutant
{
    readonly Fault fault;

    internal Mutant(string id, string rule, MutantKind kind, string description, Fault fault)
    {
        Id = id;
        Rule = rule;
        Kind = kind;
        Description = description;
        this.fault = fault;
    }

    public string Id { get; }

    /// <summary>The catalog rule (<c>RuleCatalog</c> id) the mutant is a faulty variant of.</summary>
    public string Rule { get; }

    public MutantKind Kind { get; }
    public string Description { get; }

    /// <summary>Runs <paramref name="run"/> (a check family) with the mutant in place of the correct rule.</summary>
    public T Within<T>(Func<T> run) => Fault.Within(fault, run);

    /// <summary>Whether the mutant alters a node of <paramref name="root"/> (a check of a tree it does not reach cannot kill it).</summary>
    public bool Reaches(IVjpNode root) => root.Walk().Any(fault.Matches);

    /// <summary>The cases this mutant can reach, its own rule's properties, stopping at the first failure (enough to kill it).</summary>
    public CheckScope Scope => new() { Reaches = Reaches, Rule = Rule, StopAtFirstFailure = true };

    /// <summary>Runs <paramref name="family"/> in this mutant's <see cref="Scope"/> with the fault active.</summary>
    public FamilyResult Run(CheckFamily family) => Within(() => family.Run(Scope));

    public override string ToString() => $"{Id} [{Rule}]: {Description}";
}

/// <summary>A fault given as a node predicate and an alteration of the pullback at the matched node.</summary>
sealed class NodeFault(Func<IVjpNode, bool> matches, Func<FaultSite, Tensor?> alter) : Fault
{
    internal override bool Matches(IVjpNode node) => matches(node);

    internal override Tensor? Alter(FaultSite site) => alter(site);
}
