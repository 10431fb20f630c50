using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Training.Twin;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using Xunit.Abstractions;

namespace LeanMlirVerify.Oracle.Rules;

/// <summary>
/// The CNN blocks (compositions of the rules above) against their twin forms in <see cref="TwinBlocks"/>, every
/// parameter cotangent in the book's tensor order. float32 bound: 64·eps32·√n, n = B·H·W: several batch norms in a
/// chain each add a cancelling reduction of n terms, and the error compounds through the chain. Errors are measured
/// against the case's largest gradient entry (<see cref="LeanMlirVerify.Training.Comparisons.OracleResult.RequireCaseRelative"/>):
/// a BN γ whose scale a later BN removes (UIB's expand γ before post-depthwise BN) has an analytically zero gradient,
/// and both sides return rounding noise there (measured: max|dγ| 1.3e-4 against max|dx| 9.3).
/// </summary>
[Collection(OracleCollection.Name)]
public class BlockOracleTests(ITestOutputHelper output)
{
    const long B = 2, H = 6, N = B * H * H;
    const double C32 = 64;

    void Check(
        Func<Init, HasVjp<Tensor3, Tensor3>> rule, Func<TorchSharp.torch.Tensor, ParamCursor, TorchSharp.torch.Tensor> twin, long ic) =>
        OracleHarness.Check(init => new OracleCase<Tensor3, Tensor3>(rule(init),
            (x, p) =>
            {
                var cursor = new ParamCursor(p, "twin block");
                var y = twin(x, cursor);
                cursor.RequireEnd();
                return y;
            }, new Tensor3(init.Point(B, ic, H, H))), C32, N, output, caseRelative: true);

    [Theory, Evidence(ItemId.vjp3_comp, EvidenceKind.Oracle)]
    [InlineData(3, 1, "relu"), InlineData(3, 2, "relu"), InlineData(1, 2, "identity"), InlineData(3, 1, "swish")]
    public void ConvBn_CotangentsMatchAutograd(long k, long stride, string act) =>
        Check(init => Blocks.ConvBn(3, 4, k, stride, act, init), (x, p) => TwinBlocks.ConvBn(x, p, 3, 4, k, stride, act), 3);

    [Theory, Evidence(ItemId.residual_has_vjp, EvidenceKind.Oracle)]
    [InlineData(4, 4, 1), InlineData(3, 4, 1), InlineData(4, 4, 2)]
    public void BasicBlock_CotangentsMatchAutograd(long ic, long oc, long stride) =>
        Check(init => Blocks.BasicBlock(ic, oc, stride, init), (x, p) => TwinBlocks.BasicBlock(x, p, ic, oc, stride), ic);

    [Theory, Evidence(ItemId.seBlock_has_vjp, EvidenceKind.Oracle)]
    [InlineData("swish", "sigmoid"), InlineData("relu", "hsigmoid")]
    public void SqueezeExcite_CotangentsMatchAutograd(string inner, string gate) =>
        Check(init => Blocks.SqueezeExcite(8, 2, inner, gate, init), (x, p) => TwinBlocks.SqueezeExcite(x, p, 8, 2, inner, gate), 8);

    [Theory]
    [InlineData(8, 8, 1), InlineData(4, 8, 2)]
    public void Bottleneck_CotangentsMatchAutograd(long ic, long oc, long stride) =>
        Check(init => Blocks.Bottleneck(ic, oc, stride, init), (x, p) => TwinBlocks.Bottleneck(x, p, ic, oc, stride), ic);

    [Theory]
    [InlineData(4, 4, 2, 1), InlineData(4, 6, 1, 2)]
    public void InvertedResidual_CotangentsMatchAutograd(long ic, long oc, long expand, long stride) =>
        Check(init => Blocks.InvertedResidual(ic, oc, expand, stride, init), (x, p) =>
            TwinBlocks.InvertedResidual(x, p, ic, oc, expand, stride), ic);

    [Theory]
    [InlineData(4, 4, 2, 3, 1, true), InlineData(4, 6, 1, 5, 2, true), InlineData(4, 4, 2, 3, 1, false)]
    public void MbConv_CotangentsMatchAutograd(long ic, long oc, long expand, long k, long stride, bool se) =>
        Check(init => Blocks.MbConv(ic, oc, expand, k, stride, se, init), (x, p) => TwinBlocks.MbConv(x, p, ic, oc, expand, k, stride, se),
            ic);

    [Theory]
    [InlineData(4, 4, 8, 3, 1, true, true), InlineData(4, 6, 4, 5, 2, true, false)]
    public void MbConvV3_CotangentsMatchAutograd(long ic, long oc, long expandCh, long k, long stride, bool se, bool hswish) =>
        Check(init => Blocks.MbConvV3(ic, oc, expandCh, k, stride, se, hswish, init),
            (x, p) => TwinBlocks.MbConvV3(x, p, ic, oc, expandCh, k, stride, se, hswish), ic);

    [Theory]
    [InlineData(4, 4, 2, 3, 1, false), InlineData(4, 6, 1, 3, 2, true)]
    public void FusedMbConv_CotangentsMatchAutograd(long ic, long oc, long expand, long k, long stride, bool se) =>
        Check(init => Blocks.FusedMbConv(ic, oc, expand, k, stride, se, init), (x, p) =>
            TwinBlocks.FusedMbConv(x, p, ic, oc, expand, k, stride, se), ic);

    [Theory]
    [InlineData(4, 4, 2, 1, 3, 5), InlineData(4, 6, 2, 2, 0, 3), InlineData(4, 6, 2, 2, 3, 0)]
    public void Uib_CotangentsMatchAutograd(long ic, long oc, long expand, long stride, long pre, long post) =>
        Check(init => Blocks.Uib(ic, oc, expand, stride, pre, post, init), (x, p) =>
            TwinBlocks.Uib(x, p, ic, oc, expand, stride, pre, post), ic);
}
