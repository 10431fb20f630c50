using System.Reflection;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Catalog;
using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.Checking.Mutants;

/// <summary>
/// Faulty variants of the rules, as data: at least one per <see cref="RuleCatalog"/> entry, and the realistic bugs of
/// issue 14 (each a single defect a reviewer might write). Each is applied in memory by <see cref="Mutant.Within{T}"/>;
/// the check families must kill every one (<c>lmv check --mutants</c>, and the mutant tests). One partial file per family:
/// the algebra and chapter-3 primitives here, the CNN rules (<c>MutantCatalog.Cnn.cs</c>), the conv strategies and the
/// 2×2 average pool (<c>MutantCatalog.Strategies.cs</c>), the blocks
/// (<c>MutantCatalog.Blocks.cs</c>), the transformer rules (<c>MutantCatalog.Transformer.cs</c>).
/// </summary>
public static partial class MutantCatalog
{
    static readonly Lazy<IReadOnlyList<Mutant>> all =
        new(() => [.. AlgebraMutants(), .. CnnMutants(), .. StrategyMutants(), .. BlockMutants(), .. TransformerMutants()]);

    public static IReadOnlyList<Mutant> All => all.Value;

    public static Mutant Get(string id) =>
        All.FirstOrDefault(m => m.Id == id)
        ?? throw new KeyNotFoundException($"no mutant '{id}' (known: {string.Join(", ", All.Select(m => m.Id))})");

    static Mutant M(string id, string rule, MutantKind kind, string description, Func<IVjpNode, bool> on, Func<FaultSite, Tensor?> alter) =>
        new(id, rule, kind, description, new NodeFault(on, alter));

    // Which nodes a fault alters.

    static Func<IVjpNode, bool> Of<T>(Func<T, bool>? also = null) => n => n is T t && (also is null || also(t));

    /// <summary>Nodes of a generic rule type (an algebra combinator), optionally with these leading type arguments (ranks).</summary>
    static Func<IVjpNode, bool> Generic(Type definition, params Type[] arguments) => n =>
    {
        var type = n.GetType();
        return type.IsGenericType && type.GetGenericTypeDefinition() == definition
            && type.GetGenericArguments().Take(arguments.Length).SequenceEqual(arguments);
    };

    static Func<IVjpNode, bool> Elementwise(string label, Type? rank = null) => n =>
        Generic(typeof(Elementwise<>))(n) && n.Label == label && (rank is null || n.GetType().GetGenericArguments()[0] == rank);

    static Func<IVjpNode, bool> Labelled<T>(string prefix) => n => n is T && n.Label.StartsWith(prefix, StringComparison.Ordinal);

    static Func<IVjpNode, bool> ItemIs(string item, string? label = null) => n =>
        n.Item == item && (label is null || n.Label.Contains(label, StringComparison.Ordinal));

    // How a fault alters the pullback.

    static Tensor? ScaleDx(FaultSite s, double factor) => s.Dx?.Mul(factor);

    /// <summary>dx = dy ⊙ f′(x, y) with a wrong local derivative f′ (elementwise rules).</summary>
    static Func<FaultSite, Tensor?> Derivative(Func<Tensor, Tensor, Tensor> wrong) => s => s.Dx is null ? null : s.Dy * wrong(s.X, s.Y);

    static Tensor? Drop(FaultSite s, IEnumerable<Parameter> parameters)
    {
        foreach (var p in parameters.ToList()) s.SetIncrement(p, zeros_like(p.Grad));
        return null;
    }

    static Tensor? Rescale(FaultSite s, IEnumerable<Parameter> parameters, double factor)
    {
        foreach (var p in parameters.ToList()) s.ScaleIncrement(p, factor);
        return null;
    }

    /// <summary>The parameters' cotangents from the batch's first example only (the batch sum dropped).</summary>
    static Tensor? FirstExampleOnly(FaultSite s, string suffix)
    {
        var increments = s.Increments(s.Node, s.X.narrow(0, 0, 1), s.Dy.narrow(0, 0, 1));
        foreach (var (p, increment) in s.Node.Parameters.Zip(increments))
            if (p.Name.EndsWith(suffix, StringComparison.Ordinal)) s.SetIncrement(p, increment);
        return null;
    }

    /// <summary>A value an internal rule keeps (the fixed factor of a matmul, a scale).</summary>
    static T Kept<T>(IVjpNode node, string property) =>
        (T)node.GetType().GetProperty(property, BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)!.GetValue(node)!;

    /// <summary>The catalog ids with no mutant (the catalog tests require none).</summary>
    public static IReadOnlyList<string> RulesWithoutMutant() =>
        [.. RuleCatalog.All.Select(e => e.Id).Where(id => All.All(m => m.Rule != id))];
}
