using LeanMlirVerify.Training.Comparisons;
using LeanMlirVerify.Training.Twin;
using LeanMlirVerify.Vjp.Algebra;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace LeanMlirVerify.Oracle.Rules;

/// <summary>
/// The oracle can fail: deliberately wrong rules, each a local <see cref="HasVjp{TIn,TOut}"/> with a correct forward,
/// are reported naming the wrong tensor while the correct tensors still pass. The scaled-weight mutant is the one
/// the book's step-2-loss oracle would miss (Adam's first step sees only the gradient's sign).
/// </summary>
[Collection(OracleCollection.Name)]
public class MutantOracleTests
{
    /// <summary>Dense with dW = 2·xᵀ·dy: right signs, wrong scale.</summary>
    sealed class DenseWeightScaledByTwo : HasVjp<Vec, Vec>
    {
        readonly Parameter w, b;

        public DenseWeightScaledByTwo(Tensor w, Tensor b) : base("mutant", "dense with dW ×2")
        {
            this.w = Own(new Parameter("fc.W", "mutant", w));
            this.b = Own(new Parameter("fc.b", "mutant", b));
        }

        protected override (Vec y, Pullback<Vec, Vec> pullback) Run(Vec x) =>
            (new Vec(x.T.matmul(w.Value).Add(b.Value)), dy =>
            {
                w.Accumulate(x.T.t().matmul(dy.T).Mul(2), Culprit);
                b.Accumulate(dy.T.sum(0L), Culprit);
                return new Vec(dy.T.matmul(w.Value.t()));
            });
    }

    /// <summary>3×3 stride-1 conv whose input gradient correlates dy with the kernel unflipped.</summary>
    sealed class ConvWithoutKernelFlip : HasVjp<Tensor3, Tensor3>
    {
        readonly Parameter w;

        public ConvWithoutKernelFlip(Tensor w) : base("mutant", "conv without kernel flip") =>
            this.w = Own(new Parameter("conv.W", "mutant", w));

        protected override (Tensor3 y, Pullback<Tensor3, Tensor3> pullback) Run(Tensor3 x)
        {
            var xp = F.pad(x.T, [1, 1, 1, 1]);
            return (new Tensor3(F.conv2d(xp, w.Value)), dy =>
            {
                // Correct: conv_transpose2d(dy, W) (= correlation with the flipped kernel). Mutant: flip it back.
                var full = F.conv_transpose2d(dy.T, w.Value.flip(2, 3));
                // Weight gradient stays correct so only dx is wrong.
                var terms = new List<Tensor>();
                for (var i = 0; i < 3; i++)
                    for (var j = 0; j < 3; j++)
                        terms.Add(einsum("bchw,bohw->oc", xp[.., .., i..(i + (int)x.T.shape[2]), j..(j + (int)x.T.shape[3])], dy.T));
                w.Accumulate(stack(terms, -1).view(w.Value.shape), Culprit);
                return new Tensor3(full[.., .., 1..^1, 1..^1].contiguous());
            });
        }
    }

    [Fact]
    public void Oracle_CatchesDenseWeightGradientScaledByTwo()
    {
        var init = Init.Float64Cpu(11);
        var rule = new DenseWeightScaledByTwo(init.Normal([6, 4]), init.Normal([4]));
        var result = RuleOracle.Compare(rule, (x, p) => TwinOps.Dense(x, p[0], p[1]), new Vec(init.Point(5, 6)));
        Assert.True(result.Get("dx").Within(OracleHarness.Float64Bound));
        Assert.True(result.Get("dfc.b").Within(OracleHarness.Float64Bound));
        Assert.InRange(result.Get("dfc.W").MaxRel, 0.5, 1.0); // |2g − g| / max|g| = 1
        var failure = Assert.Throws<GradientMismatchException>(() => result.Require(OracleHarness.Float64Bound));
        Assert.Contains("dfc.W", failure.Message);
        Assert.DoesNotContain("dfc.b", failure.Message);
    }

    [Fact]
    public void Oracle_CatchesConvInputGradientWithoutKernelFlip()
    {
        var init = Init.Float64Cpu(12);
        var rule = new ConvWithoutKernelFlip(init.Normal([3, 2, 3, 3]));
        var result = RuleOracle.Compare(rule, (x, p) => TwinOps.Conv2d(x, p[0], null, 1), new Tensor3(init.Point(2, 2, 6, 6)));
        Assert.True(result.Get("dconv.W").Within(OracleHarness.Float64Bound), result.ToString());
        Assert.True(result.Get("dx").MaxRel > 0.1, result.ToString());
        var failure = Assert.Throws<GradientMismatchException>(() => result.Require(OracleHarness.Float64Bound));
        Assert.Contains("dx", failure.Message);
    }

    [Fact]
    public void Oracle_ReportsNonFiniteGradientAsFailure()
    {
        var nan = GradientComparison.Compare("dW", tensor(new[] { 1.0, double.NaN }), tensor(new[] { 1.0, 2.0 }));
        Assert.False(nan.Finite);
        Assert.False(nan.Within(double.MaxValue));
        var failure = Assert.Throws<GradientMismatchException>(() => GradientComparison.RequireWithin([nan], 1, "case"));
        Assert.Contains("dW", failure.Message);
        Assert.Contains("hand-derived", failure.Message);
    }
}
