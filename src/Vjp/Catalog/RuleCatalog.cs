using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Checking;
using LeanMlirVerify.Vjp.Rules;

namespace LeanMlirVerify.Vjp.Catalog;

/// <summary>
/// Every rule and combinator, enumerable by tests: the property suite draws random sizes and points from each
/// entry's domain and checks the pullback against finite differences, and the ledger's property evidence is read
/// from the entries' items. Add an entry when you add a rule. One partial file per family, all in this folder:
/// the algebra and the chapter-3 primitives here, the CNN rules (<c>RuleCatalog.Cnn.cs</c>), the 3-tensor kit and
/// Part-1 blocks (<c>RuleCatalog.Blocks.cs</c>), the conv rule under each forced strategy
/// (<c>RuleCatalog.Strategies.cs</c>), the transformer family (<c>RuleCatalog.Transformer.cs</c>).
/// </summary>
public static partial class RuleCatalog
{
    static readonly Lazy<IReadOnlyList<RuleEntry>> all = new(() =>
    {
        var list = new List<RuleEntry>();
        list.AddRange(AlgebraEntries());
        list.AddRange(PrimitiveEntries());
        list.AddRange(CnnEntries());
        list.AddRange(StrategyEntries());
        list.AddRange(TransformerEntries());
        return list;
    });

    public static IReadOnlyList<RuleEntry> All => all.Value;

    public static RuleEntry Get(string id) =>
        All.FirstOrDefault(e => e.Id == id) ?? throw new KeyNotFoundException($"no rule '{id}' in the catalog");

    static IEnumerable<RuleEntry> AlgebraEntries()
    {
        yield return new("identity", ItemId.identity_has_vjp, "any x", init =>
        {
            long b = init.Int(1, 3), n = init.Int(1, 6);
            return CheckCase.Of(Compose.Identity<Vec>(), init.Point(b, n));
        });
        yield return new("identity-mat", ItemId.identityMat_has_vjp, "any X", init =>
            CheckCase.Of(Compose.Identity<Mat>(), init.Point(init.Int(1, 3), init.Int(1, 4), init.Int(1, 5))));
        yield return new("chain", ItemId.vjp_comp, "dense ∘ dense, any x", init =>
        {
            long b = init.Int(1, 3), n = init.Int(1, 5), m = init.Int(1, 5), p = init.Int(1, 5);
            return CheckCase.Of(new Dense(n, m, init).Then(new Dense(m, p, init)), init.Point(b, n),
                Sample.Sizes(("B", b), ("n", n), ("m", m), ("p", p)));
        });
        yield return new("chain-mat", ItemId.vjpMat_comp, "transpose ∘ X·B, any X", init =>
        {
            long b = init.Int(1, 3), r = init.Int(1, 4), c = init.Int(1, 4), p = init.Int(1, 4);
            return CheckCase.Of(MatrixKit.MatmulRightConst(init.Point(c, p)).Then(MatrixKit.Transpose()), init.Point(b, r, c));
        });
        yield return new("add", ItemId.biPath_has_vjp, "dense + identity, any x", init =>
        {
            long b = init.Int(1, 3), n = init.Int(1, 5);
            return CheckCase.Of(Compose.Add(new Dense(n, n, init), Compose.Identity<Vec>()), init.Point(b, n));
        });
        yield return new("add-mat", ItemId.biPathMat_has_vjp, "X·B + X·C, any X", init =>
        {
            long b = init.Int(1, 3), r = init.Int(1, 4), c = init.Int(1, 4), p = init.Int(1, 4);
            return CheckCase.Of(Compose.Add(MatrixKit.MatmulRightConst(init.Point(c, p)), MatrixKit.MatmulRightConst(init.Point(c, p))),
                init.Point(b, r, c));
        });
        yield return new("multiply", ItemId.elemwiseProduct_has_vjp, "dense ⊙ dense, any x", init =>
        {
            long b = init.Int(1, 3), n = init.Int(1, 5), m = init.Int(1, 5);
            return CheckCase.Of(Compose.Multiply(new Dense(n, m, init), new Dense(n, m, init)), init.Point(b, n));
        });
        yield return new("matmul-left-const", ItemId.matmul_left_const_has_vjp, "any X, A fixed", init =>
        {
            long b = init.Int(1, 3), m = init.Int(1, 4), n = init.Int(1, 4), p = init.Int(1, 4);
            return CheckCase.Of(MatrixKit.MatmulLeftConst(init.Point(m, n)), init.Point(b, n, p));
        });
        yield return new("matmul-right-const", ItemId.matmul_right_const_has_vjp, "any X, B fixed", init =>
        {
            long b = init.Int(1, 3), m = init.Int(1, 4), n = init.Int(1, 4), p = init.Int(1, 4);
            return CheckCase.Of(MatrixKit.MatmulRightConst(init.Point(n, p)), init.Point(b, m, n));
        });
        yield return new("scalar-scale", ItemId.scalarScale_has_vjp, "any X, s ~ N(0,1)", init =>
            CheckCase.Of(MatrixKit.ScalarScale<Mat>(init.Gaussian()), init.Point(init.Int(1, 3), init.Int(1, 4), init.Int(1, 4))));
        yield return new("transpose", ItemId.transpose_has_vjp, "any X", init =>
            CheckCase.Of(MatrixKit.Transpose(), init.Point(init.Int(1, 3), init.Int(1, 4), init.Int(1, 5))));
        yield return new("row-wise", ItemId.rowwise_has_vjp_mat, "dense per row, any X", init =>
        {
            long b = init.Int(1, 3), r = init.Int(1, 4), n = init.Int(1, 4), p = init.Int(1, 4);
            return CheckCase.Of(MatrixKit.RowWise(new Dense(n, p, init)), init.Point(b, r, n));
        });
        yield return new("flatten-mat", ItemId.pdiv_reindex, "any X", init =>
            CheckCase.Of(MatrixKit.FlattenMat(), init.Point(init.Int(1, 3), init.Int(1, 4), init.Int(1, 4))));
    }

    static IEnumerable<RuleEntry> PrimitiveEntries()
    {
        yield return new("dense", ItemId.dense_has_vjp, "any x; W, b ~ He / N(0,1)", init =>
        {
            long b = init.Int(1, 3), n = init.Int(1, 6), m = init.Int(1, 6);
            return CheckCase.Of(new Dense(init.Point(n, m), init.Point(m)), init.Point(b, n),
                Sample.Sizes(("B", b), ("in", n), ("out", m)));
        });
        yield return new("relu", ItemId.relu_has_vjp, "|x| ≥ 0.1 (away from the kink at 0)", init =>
            CheckCase.Of(Activations.Relu<Vec>(), init.AwayFrom([0], 0.1, 1, init.Int(1, 3), init.Int(1, 6))));
    }
}
