using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace LeanMlirVerify.Calculus.Symbolic;

/// <summary>
/// An immutable scalar expression. Nodes are hash-consed: two structurally equal expressions are the same
/// object, so equality is reference equality and hashing is O(1). Build expressions only through the smart
/// constructors in <see cref="Expr"/> (operators, <c>Exp</c>, <c>Pow</c>, …); they keep the canonical form.
/// </summary>
/// <remarks>
/// Canonical form: a sum is a rational constant plus distinct terms with nonzero rational coefficients; a product
/// is distinct bases with nonzero rational exponents and no coefficient (a scaled product is a one-term sum);
/// sqrt(u) is u^(1/2); exp factors in a product are merged into one exp; terms and factors are ordered by node
/// id, which is unique per structure, so equal sums and products are the same node.
/// </remarks>
public abstract partial class Expr
{
    // In a nested class so it exists before the static fields of the other partial files (Zero, One, Pi) are built.
    static class Interned { public static readonly ConcurrentDictionary<Expr, Expr> Table = new(new StructuralComparer()); }
    static int nextId;

    /// <summary>Unique per distinct structure within a process; orders terms and factors canonically.</summary>
    public int Id { get; private set; }
    int hash;

    protected abstract bool SameShape(Expr other);
    protected abstract int ShapeHash();

    /// <summary>Number of distinct nodes in the expression DAG (a size measure, not a tree count).</summary>
    public int DagSize()
    {
        var seen = new HashSet<Expr>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<Expr>([this]);
        while (stack.Count > 0)
        {
            var e = stack.Pop();
            if (!seen.Add(e)) continue;
            foreach (var c in e.Children) stack.Push(c);
        }
        return seen.Count;
    }

    public abstract IEnumerable<Expr> Children { get; }

    protected static T Intern<T>(T candidate) where T : Expr
    {
        candidate.hash = candidate.ShapeHash();
        if (Interned.Table.TryGetValue(candidate, out var found)) return (T)found;
        candidate.Id = Interlocked.Increment(ref nextId);
        return (T)Interned.Table.GetOrAdd(candidate, candidate);
    }

    public sealed override int GetHashCode() => hash;
    public sealed override bool Equals(object? obj) => ReferenceEquals(this, obj);
    public override string ToString() => Printer.Print(this);

    sealed class StructuralComparer : IEqualityComparer<Expr>
    {
        public bool Equals(Expr? a, Expr? b) => a!.GetType() == b!.GetType() && a.hash == b.hash && a.SameShape(b);
        public int GetHashCode(Expr e) => e.hash;
    }
}

/// <summary>An exact rational constant.</summary>
public sealed class Const : Expr
{
    public Rational Value { get; }
    Const(Rational v) { Value = v; }
    internal static Const Of(Rational v) => Intern(new Const(v));
    public override IEnumerable<Expr> Children => [];
    protected override bool SameShape(Expr o) => Value == ((Const)o).Value;
    protected override int ShapeHash() => HashCode.Combine(1, Value);
}

/// <summary>A named irrational constant (π), kept symbolic so that erf' and φ stay exact.</summary>
public sealed class NamedConst : Expr
{
    public string Name { get; }
    NamedConst(string name) { Name = name; }
    internal static NamedConst Of(string name) => Intern(new NamedConst(name));
    public override IEnumerable<Expr> Children => [];
    protected override bool SameShape(Expr o) => Name == ((NamedConst)o).Name;
    protected override int ShapeHash() => HashCode.Combine(2, Name);
}

/// <summary>
/// An indexed variable such as <c>x[0]</c> or <c>W[1,2]</c>: entry <see cref="Flat"/> (row-major) of tensor
/// <see cref="Tensor"/> of shape <see cref="Shape"/>. Identity includes the shape, so tensors of one name at two sizes
/// never share variables.
/// </summary>
public sealed class Var : Expr
{
    public string Tensor { get; }
    public ImmutableArray<int> Shape { get; }
    public ImmutableArray<int> Index { get; }
    public int Flat { get; }
    public string Name { get; }
    Var(string tensor, ImmutableArray<int> shape, ImmutableArray<int> index)
    {
        if (shape.Length != index.Length || index.Where((k, d) => k < 0 || k >= shape[d]).Any())
            throw new ArgumentException($"index [{string.Join(",", index)}] does not fit shape [{string.Join(",", shape)}] of {tensor}");
        Tensor = tensor; Shape = shape; Index = index;
        Flat = index.Select((k, d) => (k, d)).Aggregate(0, (f, p) => f * shape[p.d] + p.k);
        Name = index.IsEmpty ? tensor : $"{tensor}[{string.Join(",", index)}]";
    }
    /// <summary>Entry <paramref name="index"/> of tensor <paramref name="tensor"/> with the given shape.</summary>
    public static Var Of(string tensor, int[] shape, params int[] index) => Intern(new Var(tensor, [.. shape], [.. index]));
    public static Var Scalar(string name) => Of(name, []);
    public override IEnumerable<Expr> Children => [];
    protected override bool SameShape(Expr o) => Name == ((Var)o).Name && Shape.SequenceEqual(((Var)o).Shape);
    protected override int ShapeHash() => HashCode.Combine(3, Name, Shape.Length == 0 ? 0 : Shape[0], Shape.Length);
}

/// <summary>c + Σ coeff·term, terms distinct, non-constant, not sums, coefficients nonzero.</summary>
public sealed class Sum : Expr
{
    public Rational Constant { get; }
    public ImmutableArray<(Expr Term, Rational Coeff)> Terms { get; }
    Sum(Rational c, ImmutableArray<(Expr, Rational)> terms) { Constant = c; Terms = terms; }
    internal static Sum Of(Rational c, ImmutableArray<(Expr, Rational)> terms) => Intern(new Sum(c, terms));
    public override IEnumerable<Expr> Children => Terms.Select(t => t.Term);
    protected override bool SameShape(Expr o)
    {
        var s = (Sum)o;
        if (Constant != s.Constant || Terms.Length != s.Terms.Length) return false;
        for (int i = 0; i < Terms.Length; i++)
            if (!ReferenceEquals(Terms[i].Term, s.Terms[i].Term) || Terms[i].Coeff != s.Terms[i].Coeff) return false;
        return true;
    }
    protected override int ShapeHash()
    {
        var h = new HashCode(); h.Add(4); h.Add(Constant);
        foreach (var (t, c) in Terms) { h.Add(t.Id); h.Add(c); }
        return h.ToHashCode();
    }
}

/// <summary>Π base^exp, bases distinct, not constants (except positive integers under a fractional exponent).</summary>
public sealed class Product : Expr
{
    public ImmutableArray<(Expr Base, Rational Exp)> Factors { get; }
    Product(ImmutableArray<(Expr, Rational)> factors) { Factors = factors; }
    internal static Product Of(ImmutableArray<(Expr, Rational)> factors) => Intern(new Product(factors));
    public override IEnumerable<Expr> Children => Factors.Select(f => f.Base);
    protected override bool SameShape(Expr o)
    {
        var p = (Product)o;
        if (Factors.Length != p.Factors.Length) return false;
        for (int i = 0; i < Factors.Length; i++)
            if (!ReferenceEquals(Factors[i].Base, p.Factors[i].Base) || Factors[i].Exp != p.Factors[i].Exp) return false;
        return true;
    }
    protected override int ShapeHash()
    {
        var h = new HashCode(); h.Add(5);
        foreach (var (b, e) in Factors) { h.Add(b.Id); h.Add(e); }
        return h.ToHashCode();
    }
}

/// <summary>The unary functions. <see cref="Relu"/> and <see cref="Step"/> are non-smooth.</summary>
public enum Fn
{
    Exp, Log, Tanh, Erf,
    /// <summary>max(u, 0). Subgradient convention: ReLU'(0) = 0 (derivative is Step(u)).</summary>
    Relu,
    /// <summary>Heaviside with Step(0) = 0: 1 if u &gt; 0 else 0. Its derivative is taken as 0 (a.e.).</summary>
    Step,
}

public sealed class Apply : Expr
{
    public Fn Fn { get; }
    public Expr Arg { get; }
    Apply(Fn fn, Expr arg) { Fn = fn; Arg = arg; }
    internal static Apply Of(Fn fn, Expr arg) => Intern(new Apply(fn, arg));
    public bool IsSmooth => Fn is not (Fn.Relu or Fn.Step);
    public override IEnumerable<Expr> Children => [Arg];
    protected override bool SameShape(Expr o) => Fn == ((Apply)o).Fn && ReferenceEquals(Arg, ((Apply)o).Arg);
    protected override int ShapeHash() => HashCode.Combine(6, Fn, Arg.Id);
}

/// <summary>max(a, b), non-smooth. Convention: at a tie the derivative is that of the first argument.</summary>
public sealed class Max : Expr
{
    public Expr A { get; }
    public Expr B { get; }
    Max(Expr a, Expr b) { A = a; B = b; }
    internal static Max Of(Expr a, Expr b) => Intern(new Max(a, b));
    public override IEnumerable<Expr> Children => [A, B];
    protected override bool SameShape(Expr o) => ReferenceEquals(A, ((Max)o).A) && ReferenceEquals(B, ((Max)o).B);
    protected override int ShapeHash() => HashCode.Combine(7, A.Id, B.Id);
}
