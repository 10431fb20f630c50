using LeanMlirVerify.Calculus.Symbolic;
using static LeanMlirVerify.Calculus.Symbolic.Expr;

namespace LeanMlirVerify.Calculus.Derivations;

/// <summary>
/// The derivation catalog: one entry per ledger item that states a Jacobian or VJP (and the Chapter 2 structural
/// rules, on concrete instances), the axioms with the reason they are not derived, and a negative family of wrong
/// closed forms that must be rejected. Tests and <c>lmv check --symbolic</c> enumerate it.
/// </summary>
public static partial class DerivationCatalog
{
    static IReadOnlyList<Derivation>? all;

    /// <summary>Every positive entry, in ledger order.</summary>
    public static IReadOnlyList<Derivation> All => all ??= [.. Structural(), .. Layers(), .. Attention(), .. Axioms()];

    /// <summary>Wrong closed forms; each must be rejected.</summary>
    public static IReadOnlyList<Derivation> Negatives => negatives ??= [.. NegativeFamily()];
    static IReadOnlyList<Derivation>? negatives;

    /// <summary>The positive entry for a ledger item; throws naming the item when there is none.</summary>
    public static Derivation Find(string item) =>
        All.FirstOrDefault(d => d.Item == item) ?? throw new ArgumentException($"no derivation for item '{item}'");

    static Derivation Entry(string item, string form, params Instance[] instances) => new(item, form, instances);
    static Instance At(string size, Func<Case> build) => new(size, build);
    static SymTensor V(string name, params int[] shape) => SymTensor.Vars(name, shape);
    static Expr Delta(int a, int b) => a == b ? One : Zero;
    static IEnumerable<int> Range(int n) => Enumerable.Range(0, n);

    /// <summary>The flattened Jacobian in the book's layout, J[i, j] = ∂f_j/∂x_i, i-major.</summary>
    static Expr[] Jac(SymTensor f, SymTensor x) => [.. x.Data.SelectMany(xi => f.Data.Select(fj => fj.D((Var)xi)))];

    /// <summary>A closed-form Jacobian written entrywise, in the same layout as <see cref="Jac"/>.</summary>
    static Expr[] JacForm(int nx, int nf, Func<int, int, Expr> entry) => [.. Range(nx).SelectMany(i => Range(nf).Select(j => entry(i, j)))];

    static Expr[] Vjp(SymTensor f, SymTensor x, SymTensor dy) => Pdiv.Vjp(f.Data, x.Variables, dy.Data);

    static Expr[] Concat(params IEnumerable<Expr>[] parts) => [.. parts.SelectMany(p => p)];

    static string Dims(params int[] shape) => string.Join("×", shape);

    /// <summary>Jacobian of outer∘inner, derived directly versus the chain rule Σ_k ∂g_k/∂x_i · ∂f_j/∂u_k|_{u=g(x)}.</summary>
    static Case Chain(string size, SymTensor x, Func<SymTensor, SymTensor> inner, Func<SymTensor, SymTensor> outer)
    {
        var g = inner(x);
        var u = V("u", g.Shape);
        var fu = outer(u);
        var map = Map(u, g);
        var derived = Jac(outer(g), x);
        var closed = JacForm(x.Length, fu.Length, (i, j) =>
            Add(Range(g.Length).Select(k => g.Data[k].D((Var)x.Data[i]) * fu.Data[j].D((Var)u.Data[k]).Substitute(map))));
        return new Case(size, derived, closed);
    }

    /// <summary>VJP of outer∘inner, derived directly versus VJP_inner(x, VJP_outer(g(x), dy)).</summary>
    static Case VjpChain(string size, SymTensor x, Func<SymTensor, SymTensor> inner, Func<SymTensor, SymTensor> outer)
    {
        var g = inner(x);
        var u = V("u", g.Shape);
        var fu = outer(u);
        var dy = V("dy", fu.Shape);
        var du = Vjp(fu, u, dy).Select(e => e.Substitute(Map(u, g))).ToArray();
        return new Case(size, Vjp(outer(g), x, dy), Pdiv.Vjp(g.Data, x.Variables, du));
    }

    static Dictionary<Var, Expr> Map(SymTensor vars, SymTensor values) =>
        vars.Data.Zip(values.Data).ToDictionary(p => (Var)p.First, p => p.Second);
}
