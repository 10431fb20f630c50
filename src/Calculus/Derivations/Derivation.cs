using LeanMlirVerify.Calculus.Symbolic;

namespace LeanMlirVerify.Calculus.Derivations;

/// <summary>
/// One concrete instance of a derivation check: the Jacobian/VJP derived by differentiating the reference forward,
/// and the closed form as the book states it, entry by entry, over the same variables.
/// </summary>
/// <remarks>
/// Layout of <see cref="Derived"/> and <see cref="Closed"/>: a Jacobian entry is flattened input-major,
/// J[i, j] = ∂f_j/∂x_i at position i·(outputs) + j (the book's <c>pdiv f x i j</c>); a VJP is the gradient in the
/// input's row-major order; entries with several gradients (dense: dx, dW, db) concatenate them in that order.
/// Cotangents are the tensors named <c>dy</c>, <c>dY</c> or <c>G</c>.
/// </remarks>
public sealed class Case(string size, IReadOnlyList<Expr> derived, IReadOnlyList<Expr> closed, bool requireSmooth = false)
{
    public string Size { get; } = size;
    public IReadOnlyList<Expr> Derived { get; } = derived;
    public IReadOnlyList<Expr> Closed { get; } = closed;
    /// <summary>The check also requires the derived expressions to be free of non-smooth nodes (smoothness items).</summary>
    public bool RequireSmooth { get; } = requireSmooth;

    /// <summary>Every tensor the expressions use, with its shape, e.g. "W" → [3, 2].</summary>
    public IReadOnlyDictionary<string, int[]> Tensors => Derived.Concat(Closed).SelectMany(Differentiate.Variables)
        .GroupBy(v => v.Tensor).ToDictionary(g => g.Key, g => g.First().Shape.ToArray());

    /// <summary>The closed form at a float64 point given as tensor name → row-major values ("kernel versus math").</summary>
    public double[] EvaluateClosedForm(IReadOnlyDictionary<string, double[]> point) => Evaluate.AtDouble(Closed, point);

    /// <summary>The derived Jacobian/VJP at a float64 point given as tensor name → row-major values.</summary>
    public double[] EvaluateDerived(IReadOnlyDictionary<string, double[]> point) => Evaluate.AtDouble(Derived, point);

    /// <summary>Compares derived and closed forms: canonical first, then randomized high precision.</summary>
    public Outcome Check(int seed = 1)
    {
        if (RequireSmooth && Derived.FirstOrDefault(e => !Differentiate.IsSmooth(e)) is { } rough)
            return new Outcome(false, Method.Canonical, $"derived Jacobian is not smooth: {Printer.Short(rough)}");
        return Equivalence.Compare(Derived, Closed, seed);
    }
}

/// <summary>A size of a derivation and how to build its case (built lazily: building is most of the cost).</summary>
public sealed record Instance(string Size, Func<Case> Build);

/// <summary>
/// A catalog entry: the ledger item, the closed form as the book writes it, and its instances. Axioms carry the reason
/// they are not derived and no instances. A negative entry states a deliberately wrong closed form that the checker
/// must reject.
/// </summary>
public sealed record Derivation(
    string Item, string ClosedForm, IReadOnlyList<Instance> Instances, string? AxiomReason = null, bool Negative = false)
{
    public bool IsAxiom => AxiomReason is not null;
    public string Name => Negative ? $"{Item} (wrong form)" : Item;
}
