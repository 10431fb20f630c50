using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using static LeanMlirVerify.Vjp.Checking.Mutants.MutantKind;
using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.Checking.Mutants;

/// <summary>
/// Mutants of the 3-tensor composition kit and the Part-1 blocks. A block's mutant alters one node inside it, picked by
/// the label the block gives it (e.g. <c>bottleneck.reduce.conv</c>), so the defect is that block's own.
/// </summary>
public static partial class MutantCatalog
{
    static IEnumerable<Mutant> BlockMutants()
    {
        yield return M("identity-3-negated", "identity-3", WrongTerm, "the 3-tensor identity's pullback returns −dy",
            Generic(typeof(Identity<>), typeof(Tensor3)), s => s.Dx?.neg());
        yield return M("chain-3-drops-first-parameters", "chain-3", DroppedTerm,
            "the chain (3-tensor between) adds no cotangent to its first step's parameters",
            Generic(typeof(Chain<,,>)).And(ItemIs(ItemId.vjp3_comp)), s => Drop(s, s.Node.Children[0].Parameters));
        yield return M("add-3-second-path-twice", "add-3", WrongTerm, "the 3-tensor fan-in counts the second path's dx twice",
            Generic(typeof(AdditiveFanIn<,>), typeof(Tensor3)), s => s.Dx is null ? null : s.Dx.Add(s.Child(1, s.X).Pullback(s.Dy)));
        yield return M("gate-cotangent-mean", "multiply-3-gate", Scale,
            "a broadcast gate's cotangent averaged over H·W instead of summed over the positions it was copied to",
            Generic(typeof(MultiplicativeFanIn<,,>), typeof(Tensor3)), GateMean);
        yield return M("mlp-db-mean", "mlp", Scale, "the MLP's bias cotangents averaged over the batch",
            Labelled<Dense>("mlp.fc"), s => Rescale(s, s.Named(".b"), 1.0 / s.X.shape[0]));
        yield return M("conv-bn-dw-scaled", "conv-bn", Scale, "conv→BN's kernel cotangent × 1.001",
            Labelled<Conv2d>("convBn.conv"), s => Rescale(s, s.Named(".W"), 1.001));
        yield return M("residual-drops-identity", "residual", Realistic, "a residual dropping its identity path: dx = main*(dy)",
            ItemIs(ItemId.residual_has_vjp, "residual (identity)"), s => s.Dx is null ? null : s.Dx - s.Dy);
        yield return M("bottleneck-reduce-dw-dropped", "bottleneck", DroppedTerm, "the bottleneck's 1×1 reduce kernel gets no cotangent",
            Labelled<Conv2d>("bottleneck.reduce.conv"), s => Drop(s, s.Named(".W")));
        yield return M("inverted-residual-project-dgamma-dropped", "inverted-residual", DroppedTerm,
            "the MobileNet-V2 block's projection BN γ gets no cotangent",
            Labelled<BatchNorm>("ir.project.bn"), s => Drop(s, s.Named(".γ")));
        yield return M("se-drops-direct-path", "se", DroppedTerm,
            "squeeze-excitation's product rule without the direct path's term gate ⊙ dy",
            n => Generic(typeof(MultiplicativeFanIn<,,>))(n) && Generic(typeof(Identity<>))(n.Children[0]), s =>
            {
                if (s.Dx is null) return null;
                var gate = s.Child(1, s.X).Y;
                return s.Dx - s.Dy * gate.reshape([.. gate.shape, .. Enumerable.Repeat(1L, (int)(s.Dy.dim() - gate.dim()))]);
            });
        yield return M("mbconv-dw-scaled", "mbconv", Scale, "MBConv's depthwise kernel cotangent × 1.001",
            Labelled<Conv2d>("mb.dw.dw"), s => Rescale(s, s.Named(".W"), 1.001));
        yield return M("mbconv-v3-se-expand-db-dropped", "mbconv-v3", DroppedTerm,
            "MobileNet-V3's SE expand bias gets no cotangent",
            Labelled<Conv2d>("mb3.se.expand"), s => Drop(s, s.Named(".b")));
        yield return M("fused-mbconv-dw-first-example", "fused-mbconv", Scale,
            "fused MBConv's kernel cotangent from the batch's first image only",
            Labelled<Conv2d>("fused.conv.conv"), s => FirstExampleOnly(s, ".W"));
        yield return M("uib-project-dbeta-scaled", "uib", Scale, "UIB's projection BN β cotangent × 1.001",
            Labelled<BatchNorm>("uib.project.bn"), s => Rescale(s, s.Named(".β"), 1.001));
    }

    /// <summary>
    /// x ↦ f(x) ⊙ g(x) with g broadcast over f's trailing positions: the gate's cotangent (and so its dx and parameter
    /// cotangents, all linear in it) divided by the number of positions P it was copied to: dx − (1 − 1/P)·g*(Σ dy ⊙ f).
    /// </summary>
    static Tensor? GateMean(FaultSite s)
    {
        var f = s.Child(0, s.X).Y;
        var (gate, gatePullback) = s.Child(1, s.X);
        var broadcast = gate.reshape([.. gate.shape, .. Enumerable.Repeat(1L, (int)(f.dim() - gate.dim()))]);
        var dims = broadcast.shape.Select((d, i) => (d, i)).Where(p => p.d == 1 && f.shape[p.i] != 1).Select(p => (long)p.i).ToArray();
        if (dims.Length == 0) return null;
        var positions = dims.Aggregate(1L, (n, d) => n * f.shape[d]);
        Rescale(s, s.Node.Children[1].Parameters, 1.0 / positions);
        if (s.Dx is null) return null;
        var dxGate = gatePullback((s.Dy * f).sum(dims, keepdim: true).reshape(gate.shape));
        return s.Dx - dxGate.Mul(1 - 1.0 / positions);
    }
}
