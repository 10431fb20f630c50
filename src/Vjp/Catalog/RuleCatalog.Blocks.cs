using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Checking;
using LeanMlirVerify.Vjp.Rules;

namespace LeanMlirVerify.Vjp.Catalog;

/// <summary>
/// Catalog entries of the 3-tensor composition kit and the Part-1 blocks. Blocks are checked with all their
/// parameters at small sizes (batch 2–3, 4–6 pixels so that BN after a stride-2 conv still sees N ≥ 8 entries).
/// Channel counts start at 2 so that no BN sees a single-fan-in conv output, whose variance W²·σ² can sit near 0
/// where BN's curvature defeats a central difference. ReLU kinks inside blocks are not excluded: at random points a
/// central difference straddles one with probability about 1e-5 per pre-activation.
/// </summary>
public static partial class RuleCatalog
{
    const int BlockRuns = 3;

    static (long b, long h, long w) BlockImage(Init init) => (init.Int(2, 3), init.Int(4, 6), init.Int(4, 6));

    static CheckCase BlockCase(HasVjp<Tensor3, Tensor3> block, Init init, long c, params (string, long)[] more)
    {
        var (b, h, w) = BlockImage(init);
        return CheckCase.Of(block, init.Point(b, c, h, w), ImageSizes(b, c, h, w, more));
    }

    static IEnumerable<RuleEntry> CompositionEntries()
    {
        yield return new("identity-3", ItemId.identity_has_vjp, "any x", init =>
            CheckCase.Of(Compose.Identity<Tensor3>(), init.Point(init.Int(1, 3), init.Int(1, 3), init.Int(1, 4), init.Int(1, 4))));
        yield return new("chain-3", ItemId.vjp3_comp, "conv ∘ depthwise, any x", init =>
        {
            long c = init.Int(2, 3), o = init.Int(2, 3);
            var rule = Conv2d.Depthwise(c, 3, 1, true, init).Then(Conv2d.Create(c, o, 3, init.Int(1, 2), true, init));
            return CheckCase.Of(rule, init.Point(init.Int(1, 3), c, init.Int(1, 5), init.Int(1, 5)));
        });
        yield return new("add-3", ItemId.biPath3_has_vjp, "conv + conv, any x", init =>
        {
            long c = init.Int(2, 3), o = init.Int(2, 3);
            var rule = Compose.Add(Conv2d.Create(c, o, 3, 1, true, init), Conv2d.Create(c, o, 1, 1, false, init));
            return CheckCase.Of(rule, init.Point(init.Int(1, 3), c, init.Int(1, 5), init.Int(1, 5)));
        });
        yield return new(
            "multiply-3-gate", ItemId.elemwiseProduct_has_vjp, "conv ⊙ broadcast [B,C] gate (GAP → dense → sigmoid)", init =>
        {
            long c = init.Int(2, 3);
            var gate = Pooling.GlobalAvgPool().Then(new Dense(c, c, init)).Then(Activations.Sigmoid<Vec>());
            var rule = Compose.Multiply(Conv2d.Create(c, c, 3, 1, true, init), gate);
            return CheckCase.Of(rule, init.Point(init.Int(1, 3), c, init.Int(1, 5), init.Int(1, 5)));
        });
        yield return new("mlp", ItemId.mlp_has_vjp, "any x, biases shifted +1 away from the ReLU kink as the book does", init =>
        {
            long[] widths = [init.Int(1, 8), init.Int(1, 6), init.Int(1, 4), init.Int(1, 3)];
            var mlp = Blocks.Mlp(widths, init);
            foreach (var p in mlp.Parameters.Where(p => p.Name.EndsWith(".b", StringComparison.Ordinal))) p.Value.AddInPlace(1);
            return CheckCase.Of(mlp, init.Point(init.Int(2, 3), widths[0]), string.Join("→", widths));
        });
        yield return new("conv-bn", ItemId.bn_has_vjp, "conv → BN → ReLU, stride 1|2", init =>
        {
            long c = init.Int(2, 3), o = init.Int(2, 3), k = Pick(init, 1, 3), s = init.Int(1, 2);
            return BlockCase(Blocks.ConvBn(c, o, k, s, "relu", init), init, c, ("O", o), ("k", k), ("s", s));
        }, BlockRuns);
        yield return new("residual", ItemId.residual_has_vjp, "basic block, identity or projection shortcut", init =>
        {
            long c = init.Int(2, 3), s = init.Int(1, 2), o = s == 1 && init.Int(0, 1) == 0 ? c : init.Int(2, 3);
            return BlockCase(Blocks.BasicBlock(c, o, s, init), init, c, ("O", o), ("s", s));
        }, BlockRuns);
        yield return new("bottleneck", ItemId.residual_has_vjp, "bottleneck, mid = O/4", init =>
        {
            long c = 4 * init.Int(1, 2), s = init.Int(1, 2), o = s == 1 && init.Int(0, 1) == 0 ? c : 4 * init.Int(1, 2);
            return BlockCase(Blocks.Bottleneck(c, o, s, init), init, c, ("O", o), ("s", s));
        }, BlockRuns);
        yield return new("inverted-residual", ItemId.depthwise_has_vjp3, "MobileNet V2 block, expand 1|2", init =>
        {
            long c = init.Int(2, 3), e = init.Int(1, 2), s = init.Int(1, 2), o = s == 1 && init.Int(0, 1) == 0 ? c : init.Int(2, 3);
            return BlockCase(Blocks.InvertedResidual(c, o, e, s, init), init, c, ("O", o), ("expand", e), ("s", s));
        }, BlockRuns);
        yield return new("se", ItemId.seBlock_has_vjp, "squeeze-excitation, Swish / sigmoid", init =>
        {
            long c = init.Int(2, 4);
            return BlockCase(Blocks.SqueezeExcite(c, Math.Max(1, c / 2), "swish", "sigmoid", init), init, c);
        });
        yield return new("mbconv", ItemId.seBlock_has_vjp, "EfficientNet MBConv with SE, k 3|5", init =>
        {
            long c = init.Int(2, 3), e = init.Int(1, 2), s = init.Int(1, 2), k = Pick(init, 3, 5), o = s == 1 ? c : init.Int(2, 3);
            return BlockCase(Blocks.MbConv(c, o, e, k, s, true, init), init, c, ("O", o), ("expand", e), ("k", k), ("s", s));
        }, BlockRuns);
        yield return new("mbconv-v3", ItemId.seBlock_has_vjp, "MobileNet V3 block, hard-swish and hard-sigmoid SE", init =>
        {
            long c = init.Int(2, 3), m = init.Int(2, 4), s = init.Int(1, 2), o = s == 1 ? c : init.Int(2, 3);
            return BlockCase(Blocks.MbConvV3(c, o, m, 3, s, true, true, init), init, c, ("O", o), ("mid", m), ("s", s));
        }, BlockRuns);
        yield return new("fused-mbconv", ItemId.seBlock_has_vjp, "fused MBConv with SE, expand 1|2", init =>
        {
            long c = init.Int(2, 3), e = init.Int(1, 2), s = init.Int(1, 2), o = s == 1 ? c : init.Int(2, 3);
            return BlockCase(Blocks.FusedMbConv(c, o, e, 3, s, true, init), init, c, ("O", o), ("expand", e), ("s", s));
        }, BlockRuns);
        yield return new("uib", ItemId.residual_has_vjp, "universal inverted bottleneck, pre/post depthwise 0|3, stride 1", init =>
        {
            long c = init.Int(2, 3), e = init.Int(1, 2), pre = Pick(init, 0, 3), post = Pick(init, 0, 3);
            // Stride 1 and ic = oc always: the entry claims the residual (item 51), which a stride-2 draw would drop
            // (a draw that depended on how many entries came before it in one shared Init).
            return BlockCase(Blocks.Uib(c, c, e, 1, pre, post, init), init, c, ("expand", e), ("pre", pre), ("post", post));
        }, BlockRuns);
    }
}
