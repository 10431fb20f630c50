using FsCheck.Xunit;
using LeanMlirVerify.Calculus;
using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Calculus.Symbolic;
using static LeanMlirVerify.Calculus.Symbolic.Expr;

namespace LeanMlirVerify.FiniteDifference.Calculus;

/// <summary>
/// Chapter 2's structural rules on random expression trees (FsCheck draws the seed): each rule holds for the
/// differentiator (canonically or at 45 digits) and the derivative agrees with float64 central differences.
/// </summary>
public sealed class StructuralRuleProperties
{
    const int Tests = 20;

    /// <summary>A random smooth tree over the given variables, free of domain errors by construction.</summary>
    static Expr Tree(Random r, IReadOnlyList<Var> vars, int depth)
    {
        if (depth == 0 || r.Next(5) == 0)
            return r.Next(4) == 0 ? Num(new Rational(r.Next(-5, 6), r.Next(1, 4))) : vars[r.Next(vars.Count)];
        var a = Tree(r, vars, depth - 1);
        return r.Next(8) switch
        {
            0 => a + Tree(r, vars, depth - 1),
            1 => a * Tree(r, vars, depth - 1),
            2 => a - Tree(r, vars, depth - 1),
            3 => a / (One + Pow(Tree(r, vars, depth - 1), 2)),
            4 => Exp(Tanh(a)),
            5 => Tanh(a),
            6 => Erf(a),
            _ => Sqrt(One + Pow(a, 2)),
        };
    }

    static Var[] Vars(string name, int n) => [.. SymTensor.Vars(name, n).Variables];

    static Dictionary<Var, Rational> Point(Random r, IEnumerable<Var> vars) =>
        vars.Distinct().ToDictionary(v => v, _ => new Rational(r.Next(-96, 97), 64));

    static void AssertEqual(Expr derived, Expr rule)
    {
        var outcome = Equivalence.Compare([derived], [rule]);
        Assert.True(outcome.Equal, $"{outcome.Mismatch}\n derived: {Printer.Short(derived, 400)}\n rule: {Printer.Short(rule, 400)}");
    }

    /// <summary>∂f/∂x_i from the differentiator agrees with a central difference of f at a random point.</summary>
    static void AssertMatchesCentralDifference(Random r, Expr f, IReadOnlyList<Var> x, int i, IEnumerable<Var> others)
    {
        var point = Point(r, x.Concat(others).Concat(Differentiate.Variables(f)));
        double exact = Evaluate.AtDouble(f.D(x[i]), point);
        double fd = Pdiv.CentralDifference([f], x, point, i, 0, richardson: true);
        Assert.True(Math.Abs(exact - fd) <= 1e-6 * Math.Max(1, Math.Abs(exact)),
            $"d/d{x[i].Name} of {Printer.Short(f)}: symbolic {exact}, central difference {fd}");
    }

    static void ChainRule(int seed, Var[] x)
    {
        var r = new Random(seed);
        var u = Vars("u", 2);
        var g = u.Select(_ => Tree(r, x, 3)).ToArray();
        var f = Tree(r, u, 3);
        var composite = f.Substitute(u.Zip(g).ToDictionary(p => p.First, p => p.Second));
        int i = r.Next(x.Length);
        var map = u.Zip(g).ToDictionary(p => p.First, p => p.Second);
        AssertEqual(composite.D(x[i]), Add(u.Select((uk, k) => g[k].D(x[i]) * f.D(uk).Substitute(map))));
        AssertMatchesCentralDifference(r, composite, x, i, []);
    }

    [Property(MaxTest = Tests), Evidence(ItemId.pdiv_comp, EvidenceKind.Property)]
    public void Chain_HoldsOnRandomTrees(int seed) => ChainRule(seed, Vars("x", 3));

    [Property(MaxTest = Tests), Evidence(ItemId.pdiv3_comp, EvidenceKind.Property)]
    public void Chain3d_HoldsOnRandomTrees(int seed) => ChainRule(seed, [.. SymTensor.Vars("x", 2, 1, 2).Variables]);

    [Property(MaxTest = Tests), Evidence(ItemId.pdiv_add, EvidenceKind.Property)]
    public void Sum_HoldsOnRandomTrees(int seed)
    {
        var r = new Random(seed);
        var x = Vars("x", 3);
        var (f, g) = (Tree(r, x, 3), Tree(r, x, 3));
        int i = r.Next(3);
        AssertEqual((f + g).D(x[i]), f.D(x[i]) + g.D(x[i]));
        AssertMatchesCentralDifference(r, f + g, x, i, []);
    }

    [Property(MaxTest = Tests), Evidence(ItemId.pdiv_mul, EvidenceKind.Property)]
    public void Product_HoldsOnRandomTrees(int seed)
    {
        var r = new Random(seed);
        var x = Vars("x", 3);
        var (f, g) = (Tree(r, x, 3), Tree(r, x, 3));
        int i = r.Next(3);
        AssertEqual((f * g).D(x[i]), f.D(x[i]) * g + f * g.D(x[i]));
        AssertMatchesCentralDifference(r, f * g, x, i, []);
    }

    [Property(MaxTest = Tests), Evidence(ItemId.pdiv_id, EvidenceKind.Property)]
    public void Identity_IsTheKroneckerDelta(int seed)
    {
        var r = new Random(seed);
        var x = Vars("x", 1 + r.Next(5));
        var (i, j) = (r.Next(x.Length), r.Next(x.Length));
        Assert.Same(i == j ? One : Zero, x[j].D(x[i]));
    }

    [Property(MaxTest = Tests), Evidence(ItemId.pdiv_const, EvidenceKind.Property)]
    public void Constant_HasZeroDerivative(int seed)
    {
        var r = new Random(seed);
        var (x, c) = (Vars("x", 3), Vars("c", 3));
        var f = Tree(r, c, 3);
        Assert.Same(Zero, f.D(x[r.Next(3)]));
        AssertMatchesCentralDifference(r, f + Scale(x[0], 0), x, 0, c);
    }

    [Property(MaxTest = Tests), Evidence(ItemId.pdiv_reindex, EvidenceKind.Property)]
    public void Reindex_IsAGatherOfDeltas(int seed)
    {
        var r = new Random(seed);
        var x = Vars("x", 1 + r.Next(4));
        var sigma = Enumerable.Range(0, 1 + r.Next(5)).Select(_ => r.Next(x.Length)).ToArray();
        for (int i = 0; i < x.Length; i++)
            for (int j = 0; j < sigma.Length; j++)
                Assert.Same(i == sigma[j] ? One : Zero, x[sigma[j]].D(x[i]));
    }

    [Property(MaxTest = Tests), Evidence(ItemId.pdivMat_rowIndep, EvidenceKind.Property)]
    public void RowIndependence_HoldsOnRandomTrees(int seed)
    {
        var r = new Random(seed);
        int rows = 1 + r.Next(3), cols = 1 + r.Next(3);
        var m = SymTensor.Vars("X", rows, cols);
        var u = Vars("u", cols);
        var f = Tree(r, u, 3);
        Expr RowOf(int row) => f.Substitute(u.Select((v, k) => (v, m[row, k])).ToDictionary(p => p.v, p => p.Item2));
        var (rr, s, i) = (r.Next(rows), r.Next(rows), r.Next(cols));
        var rowMap = u.Select((v, k) => (v, m[s, k])).ToDictionary(p => p.v, p => p.Item2);
        var rule = rr == s ? f.D(u[i]).Substitute(rowMap) : Zero;
        AssertEqual(RowOf(rr).D((Var)m[s, i]), rule);
    }

    [Property(MaxTest = Tests), Evidence(ItemId.pdiv_finset_sum, EvidenceKind.Property)]
    public void FiniteSum_HoldsOnRandomTrees(int seed)
    {
        var r = new Random(seed);
        var x = Vars("x", 3);
        var parts = Enumerable.Range(0, 1 + r.Next(4)).Select(_ => Tree(r, x, 2)).ToArray();
        int i = r.Next(3);
        AssertEqual(Add(parts).D(x[i]), Add(parts.Select(p => p.D(x[i]))));
        AssertMatchesCentralDifference(r, Add(parts), x, i, []);
    }

    static (int rows, int cols) Shape(Random r) => (1 + r.Next(3), 1 + r.Next(3));

    [Property(MaxTest = Tests), Evidence(ItemId.pdivMat_scalarScale, EvidenceKind.Property)]
    public void ScalarScale_IsCTimesDeltas(int seed)
    {
        var r = new Random(seed);
        var (rows, cols) = Shape(r);
        var m = SymTensor.Vars("X", rows, cols);
        var c = Num(new Rational(r.Next(-9, 10), r.Next(1, 5)));
        var (a, b, s, i) = (r.Next(rows), r.Next(cols), r.Next(rows), r.Next(cols));
        Assert.Same(a == s && b == i ? c : Zero, (c * m[a, b]).D((Var)m[s, i]));
    }

    [Property(MaxTest = Tests), Evidence(ItemId.pdivMat_transpose, EvidenceKind.Property)]
    public void Transpose_IsAPermutationOfDeltas(int seed)
    {
        var r = new Random(seed);
        var (rows, cols) = Shape(r);
        var m = SymTensor.Vars("X", rows, cols);
        var t = LeanMlirVerify.Calculus.Reference.Forward.Transpose(m);
        var (j, a, s, i) = (r.Next(cols), r.Next(rows), r.Next(rows), r.Next(cols));
        Assert.Same(a == s && j == i ? One : Zero, t[j, a].D((Var)m[s, i]));
    }

    [Property(MaxTest = Tests), Evidence(ItemId.pdivMat_matmul_left_const, EvidenceKind.Property)]
    public void MatmulLeftConst_IsAOfRowTimesDelta(int seed)
    {
        var r = new Random(seed);
        var (m, n) = Shape(r);
        int p = 1 + r.Next(3);
        var (a, x) = (SymTensor.Vars("A", m, n), SymTensor.Vars("X", n, p));
        var f = LeanMlirVerify.Calculus.Reference.Forward.MatMul(a, x);
        var (row, j, s, i) = (r.Next(m), r.Next(p), r.Next(n), r.Next(p));
        Assert.Same(i == j ? a[row, s] : Zero, f[row, j].D((Var)x[s, i]));
    }

    [Property(MaxTest = Tests), Evidence(ItemId.pdivMat_matmul_right_const, EvidenceKind.Property)]
    public void MatmulRightConst_IsDeltaTimesB(int seed)
    {
        var r = new Random(seed);
        var (m, n) = Shape(r);
        int p = 1 + r.Next(3);
        var (x, b) = (SymTensor.Vars("X", m, n), SymTensor.Vars("B", n, p));
        var f = LeanMlirVerify.Calculus.Reference.Forward.MatMul(x, b);
        var (row, j, s, i) = (r.Next(m), r.Next(p), r.Next(m), r.Next(n));
        Assert.Same(row == s ? b[i, j] : Zero, f[row, j].D((Var)x[s, i]));
        var point = Point(r, x.Variables.Concat(b.Variables));
        double fd = Pdiv.CentralDifference([f[row, j]], x.Variables, point, s * n + i, 0);
        Assert.Equal(Evaluate.AtDouble(f[row, j].D((Var)x[s, i]), point), fd, 1e-8);
    }
}
