using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using static LeanMlirVerify.Vjp.Checking.Mutants.MutantKind;
using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.Checking.Mutants;

/// <summary>Mutants of the chapter-2 algebra (the combinators and the matrix kit) and the chapter-3 primitives.</summary>
public static partial class MutantCatalog
{
    static IEnumerable<Mutant> AlgebraMutants()
    {
        yield return M("identity-scaled", "identity", Scale, "the identity's pullback returns 1.001·dy",
            Generic(typeof(Identity<>), typeof(Vec)), s => ScaleDx(s, 1.001));
        yield return M("identity-mat-zero", "identity-mat", DroppedTerm, "the matrix identity's pullback returns zero",
            Generic(typeof(Identity<>), typeof(Mat)), s => s.Dx is null ? null : zeros_like(s.Dx));
        yield return M("chain-drops-second-parameters", "chain", DroppedTerm,
            "the chain (vector between) adds no cotangent to its second step's parameters",
            Generic(typeof(Chain<,,>)).And(ItemIs(ItemId.vjp_comp)), s => Drop(s, s.Node.Children[1].Parameters));
        yield return M("chain-mat-scaled", "chain-mat", Scale, "the chain (matrix between) returns 1.001·dx",
            Generic(typeof(Chain<,,>)).And(ItemIs(ItemId.vjpMat_comp)), s => ScaleDx(s, 1.001));
        yield return M("add-drops-second-path", "add", DroppedTerm, "the vector fan-in returns only the first path's dx",
            Generic(typeof(AdditiveFanIn<,>), typeof(Vec)), s => s.Dx is null ? null : s.Dx - s.Child(1, s.X).Pullback(s.Dy));
        yield return M("add-mat-second-path-twice", "add-mat", WrongTerm, "the matrix fan-in counts the second path's dx twice",
            Generic(typeof(AdditiveFanIn<,>), typeof(Mat)), s => s.Dx is null ? null : s.Dx.Add(s.Child(1, s.X).Pullback(s.Dy)));
        yield return M("multiply-drops-gate-term", "multiply", DroppedTerm,
            "the product rule (vector) without the second factor's term g*(dy ⊙ f(x))",
            Generic(typeof(MultiplicativeFanIn<,,>), typeof(Vec)), s =>
            {
                var dxGate = s.Child(1, s.X).Pullback(s.Dy * s.Child(0, s.X).Y);
                Drop(s, s.Node.Children[1].Parameters);
                return s.Dx is null ? null : s.Dx - dxGate;
            });
        yield return M("matmul-left-const-scaled", "matmul-left-const", Scale, "X ↦ A·X returns 1.001·Aᵀ·dY",
            Of<MatmulLeftConst>(), s => ScaleDx(s, 1.001));
        yield return M("matmul-right-const-scaled", "matmul-right-const", Scale, "X ↦ X·B returns 0.999·dY·Bᵀ",
            Of<MatmulRightConst>(), s => ScaleDx(s, 0.999));
        yield return M("scalar-scale-twice", "scalar-scale", WrongTerm, "x ↦ s·x returns s²·dy (the scale applied twice)",
            Generic(typeof(ScalarScale<>)), s => s.Dx?.Mul(Kept<double>(s.Node, "S")));
        yield return M("transpose-scaled", "transpose", Scale, "X ↦ Xᵀ returns 1.001·dYᵀ",
            Of<Transpose>(), s => ScaleDx(s, 1.001));
        yield return M("row-wise-axes-mixed", "row-wise", TransposedFactor,
            "the row-wise lift reshapes dx back token-major ([rows, B] read as [B, rows])",
            Of<RowWise>(), s => s.Dx is null ? null
                : s.Dx.reshape(s.X.shape[1], s.X.shape[0], s.X.shape[2]).transpose(0, 1).contiguous());
        yield return M("flatten-mat-column-major", "flatten-mat", TransposedFactor,
            "the matrix flatten's pullback reshapes dy column-major",
            Generic(typeof(Reshape<,>), typeof(Mat), typeof(Vec)), s => s.Dx is null ? null
                : s.Dy.reshape(s.X.shape[0], s.X.shape[2], s.X.shape[1]).transpose(1, 2).contiguous());
        yield return M("dense-dw-first-example", "dense", Realistic,
            "dense weight cotangent without the batch sum (the first example's outer product x₀ᵀ·dy₀ only)",
            Of<Dense>(), s => FirstExampleOnly(s, ".W"));
        yield return M("dense-db-mean", "dense", Scale, "dense bias cotangent averaged over the batch instead of summed",
            Of<Dense>(), s => Rescale(s, s.Named(".b"), 1.0 / s.X.shape[0]));
        yield return M("relu-kink-one", "relu", WrongKink, "ReLU′(0) = 1: dy passes where x ≥ 0 (libtorch and the ledger say 0)",
            Elementwise("relu"), Derivative((x, _) => x.Ge(0)));
    }

    static Func<IVjpNode, bool> And(this Func<IVjpNode, bool> first, Func<IVjpNode, bool> second) => n => first(n) && second(n);
}
