using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using static LeanMlirVerify.FiniteDifference.Vjp.KernelVsMath.KernelMath;
using static TorchSharp.torch;

namespace LeanMlirVerify.FiniteDifference.Vjp.KernelVsMath;

/// <summary>
/// The algebra's combinators and the Chapter 2 rules on the catalog's concrete instances, at a batch: softmax after
/// dense, softmax + dense, softmax ⊙ tanh(dense), a sum of three tanh∘dense; the matrix chain, fan-in and row-wise
/// lift with row softmax; GELU after conv2d and conv2d + depthwise on 3-tensors. Jacobian items are read from the
/// pullback of unit cotangents per sample (and a cotangent that moves another sample's dx fails).
/// </summary>
public class CombinatorKernelVsMathTests
{
    static Tensor Pull<TA, TB>(HasVjp<TA, TB> rule, TA x, TB dy) where TA : IValue<TA> where TB : IValue<TB> =>
        rule.Forward(x).pullback(dy).T;

    static HasVjp<Vec, Vec> Tanh() =>
        new Elementwise<Vec>(ItemId.pdiv, "tanh", x => x.tanh(), (x, y) => (y * y).RSub(1));

    static Dense Affine(Point p, long n, long m, string tag = "") => new(p.Get($"W{tag}", n, m), p.Get($"b{tag}", m));

    static double[] VecJacobian(HasVjp<Vec, Vec> rule, Tensor x, int outputs) =>
        Jacobian((int)x.shape[0], outputs, e => Pull(rule, new Vec(x), new Vec(e)));

    static double[] MatJacobian(HasVjp<Mat, Mat> rule, Tensor x) =>
        Jacobian((int)x.shape[0], (int)(x.numel() / x.shape[0]), e => Pull(rule, new Mat(x), new Mat(e.reshape(x.shape))));

    static readonly Batching X = Batching.Of("x");
    static readonly Batching XDy = Batching.Of("x", "dy");
    static readonly Batching Rows = Batching.Of("X");

    [Fact, Evidence(ItemId.pdiv_comp, EvidenceKind.KernelVsMath)]
    public void PdivComp_KernelEqualsClosedForm() => AssertAll(ItemId.pdiv_comp, X, (p, k) =>
    {
        long n = k == 0 ? 3 : 2, m = k == 0 ? 2 : 4;
        return VecJacobian(Affine(p, n, m).Then(new Softmax()), p.Stack("x", n), (int)m);
    });

    [Fact, Evidence(ItemId.vjp_comp, EvidenceKind.KernelVsMath)]
    public void VjpComp_KernelEqualsClosedForm() => AssertAll(ItemId.vjp_comp, XDy, (p, k) =>
    {
        long n = k == 0 ? 3 : 2, m = k == 0 ? 2 : 4;
        return Values(Pull(Affine(p, n, m).Then(new Softmax()), new Vec(p.Stack("x", n)), new Vec(p.Stack("dy", m))));
    });

    [Fact, Evidence(ItemId.pdiv_add, EvidenceKind.KernelVsMath)]
    public void PdivAdd_KernelEqualsClosedForm() => AssertAll(ItemId.pdiv_add, X, (p, k) =>
    {
        long n = k == 0 ? 2 : 3;
        return VecJacobian(Compose.Add(new Softmax(), Affine(p, n, n)), p.Stack("x", n), (int)n);
    });

    [Fact, Evidence(ItemId.biPath_has_vjp, EvidenceKind.KernelVsMath)]
    public void BiPathHasVjp_KernelEqualsClosedForm() => AssertAll(ItemId.biPath_has_vjp, XDy, (p, k) =>
    {
        long n = k == 0 ? 2 : 3;
        return Values(Pull(Compose.Add(new Softmax(), Affine(p, n, n)), new Vec(p.Stack("x", n)), new Vec(p.Stack("dy", n))));
    });

    [Fact, Evidence(ItemId.pdiv_mul, EvidenceKind.KernelVsMath)]
    public void PdivMul_KernelEqualsClosedForm() => AssertAll(ItemId.pdiv_mul, X, (p, k) =>
    {
        long n = k == 0 ? 2 : 3;
        return VecJacobian(Compose.Multiply(new Softmax(), Affine(p, n, n).Then(Tanh())), p.Stack("x", n), (int)n);
    });

    [Fact, Evidence(ItemId.elemwiseProduct_has_vjp, EvidenceKind.KernelVsMath)]
    public void ElemwiseProductHasVjp_KernelEqualsClosedForm() => AssertAll(ItemId.elemwiseProduct_has_vjp, XDy, (p, k) =>
    {
        long n = k == 0 ? 2 : 3;
        var rule = Compose.Multiply(new Softmax(), Affine(p, n, n).Then(Tanh()));
        return Values(Pull(rule, new Vec(p.Stack("x", n)), new Vec(p.Stack("dy", n))));
    });

    [Fact, Evidence(ItemId.pdiv_finset_sum, EvidenceKind.KernelVsMath)]
    public void PdivFinsetSum_KernelEqualsClosedForm() => AssertAll(ItemId.pdiv_finset_sum, X, (p, k) =>
    {
        long n = k == 0 ? 2 : 3, m = k == 0 ? 3 : 2;
        HasVjp<Vec, Vec> Part(int i) => Affine(p, n, m, i.ToString()).Then(Tanh());
        return VecJacobian(Compose.Add(Compose.Add(Part(0), Part(1)), Part(2)), p.Stack("x", n), (int)m);
    });

    static readonly (long r, long c)[] RowSizes = [(2, 3), (3, 2)];

    [Fact, Evidence(ItemId.pdivMat_rowIndep, EvidenceKind.KernelVsMath)]
    public void PdivMatRowIndep_KernelEqualsClosedForm() => AssertAll(ItemId.pdivMat_rowIndep, Rows, (p, k) =>
        MatJacobian(Softmax.Rows(), p.Stack("X", RowSizes[k].r, RowSizes[k].c)));

    [Fact, Evidence(ItemId.rowSoftmax_flat_diff, EvidenceKind.KernelVsMath)]
    public void RowSoftmaxFlatDiff_KernelEqualsClosedForm() => AssertAll(ItemId.rowSoftmax_flat_diff, Batching.Of("Z"), (p, k) =>
        MatJacobian(Softmax.Rows(), p.Stack("Z", RowSizes[k].r, RowSizes[k].c)));

    [Fact, Evidence(ItemId.rowwise_has_vjp_mat, EvidenceKind.KernelVsMath)]
    public void RowwiseHasVjpMat_KernelEqualsClosedForm() => AssertAll(ItemId.rowwise_has_vjp_mat, Batching.Of("X", "dY"), (p, k) =>
    {
        var (r, c) = RowSizes[k];
        return Values(Pull(MatrixKit.RowWise(new Softmax()), new Mat(p.Stack("X", r, c)), new Mat(p.Stack("dY", r, c))));
    });

    [Fact, Evidence(ItemId.vjpMat_comp, EvidenceKind.KernelVsMath)]
    public void VjpMatComp_KernelEqualsClosedForm() => AssertAll(ItemId.vjpMat_comp, Batching.Of("X", "dy"), (p, k) =>
    {
        var (r, c, m) = k == 0 ? (2L, 3L, 2L) : (3L, 2L, 3L);
        var rule = MatrixKit.MatmulRightConst(p.Get("B", c, m)).Then(Softmax.Rows());
        return Values(Pull(rule, new Mat(p.Stack("X", r, c)), new Mat(p.Stack("dy", r, m))));
    });

    [Fact, Evidence(ItemId.biPathMat_has_vjp, EvidenceKind.KernelVsMath)]
    public void BiPathMatHasVjp_KernelEqualsClosedForm() => AssertAll(ItemId.biPathMat_has_vjp, Batching.Of("X", "dy"), (p, k) =>
    {
        var (r, c) = RowSizes[k];
        var rule = Compose.Add(Softmax.Rows(), MatrixKit.MatmulRightConst(p.Get("B", c, c)));
        return Values(Pull(rule, new Mat(p.Stack("X", r, c)), new Mat(p.Stack("dy", r, c))));
    });

    // ---- 3-tensors: GELU (erf, the catalog's) after conv2d; conv2d + depthwise. Sizes (C, H, W → O). ----
    static readonly (long c, long h, long w, long o)[] ImageSizes = [(1, 3, 3, 2), (2, 2, 3, 1)];

    static HasVjp<Tensor3, Tensor3> GeluAfterConv(Point p, long c, long o) =>
        new Conv2d(p.Get("W", o, c, 3, 3), p.Get("b", o), 1).Then(Activations.GeluErf<Tensor3>());

    [Fact, Evidence(ItemId.pdiv3_comp, EvidenceKind.KernelVsMath)]
    public void Pdiv3Comp_KernelEqualsClosedForm() => AssertAll(ItemId.pdiv3_comp, X, (p, k) =>
    {
        var (c, h, w, o) = ImageSizes[k];
        var x = p.Stack("x", c, h, w);
        return Jacobian(p.Batch, (int)(o * h * w),
            e => Pull(GeluAfterConv(p, c, o), new Tensor3(x), new Tensor3(e.reshape(p.Batch, o, h, w))));
    });

    [Fact, Evidence(ItemId.vjp3_comp, EvidenceKind.KernelVsMath)]
    public void Vjp3Comp_KernelEqualsClosedForm() => AssertAll(ItemId.vjp3_comp, XDy, (p, k) =>
    {
        var (c, h, w, o) = ImageSizes[k];
        return Values(Pull(GeluAfterConv(p, c, o), new Tensor3(p.Stack("x", c, h, w)), new Tensor3(p.Stack("dy", o, h, w))));
    });

    [Fact, Evidence(ItemId.biPath3_has_vjp, EvidenceKind.KernelVsMath)]
    public void BiPath3HasVjp_KernelEqualsClosedForm() => AssertAll(ItemId.biPath3_has_vjp, XDy, (p, k) =>
    {
        var (c, h, w, _) = ImageSizes[k];
        var rule = Compose.Add(new Conv2d(p.Get("W", c, c, 3, 3), p.Get("b", c), 1),
            new Conv2d(p.Get("K", c, 1, 3, 3), p.Get("c", c), 1, depthwise: true));
        return Values(Pull(rule, new Tensor3(p.Stack("x", c, h, w)), new Tensor3(p.Stack("dy", c, h, w))));
    });
}
