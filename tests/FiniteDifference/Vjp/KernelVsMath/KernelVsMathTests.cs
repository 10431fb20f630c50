using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using static LeanMlirVerify.FiniteDifference.Vjp.KernelVsMath.KernelMath;
using static TorchSharp.torch;

namespace LeanMlirVerify.FiniteDifference.Vjp.KernelVsMath;

/// <summary>
/// Each test: the src/Vjp kernel in float64, run on a batch of <see cref="KernelMath.Batch"/>, equals the src/Calculus
/// closed form of each sample, parameter cotangents summed over the batch (≤ 1e-12 rel).
/// </summary>
public class KernelVsMathTests
{
    // ---- dense (29, 30, 33, 34, 35): W [fanIn, fanOut] in both; the catalog's instances are 3→2 and 2→4 ----
    static readonly (long n, long m)[] DenseSizes = [(3, 2), (2, 4)];

    static (Tensor dx, Dense rule) DensePull(Point p, int k, Tensor dy)
    {
        var (n, m) = DenseSizes[k];
        var rule = new Dense(p.Get("W", n, m), p.Get("b", m));
        var (_, pullback) = rule.Forward(new Vec(p.Stack("x", n)));
        return (pullback(new Vec(dy.reshape(p.Batch, m))).T, rule);
    }

    static Tensor DenseDy(Point p, int k) => p.Stack("dy", DenseSizes[k].m);

    static readonly Batching PerSampleX = Batching.Of("x");
    static readonly Batching PerSampleXDy = Batching.Of("x", "dy");

    [Fact, Evidence(ItemId.pdiv_dense, EvidenceKind.KernelVsMath)]
    public void PdivDense_KernelEqualsClosedForm() => AssertAll(ItemId.pdiv_dense, PerSampleX,
        (p, k) => Jacobian(p.Batch, (int)DenseSizes[k].m, e => DensePull(p, k, e).dx));

    [Fact, Evidence(ItemId.pdiv_dense_W, EvidenceKind.KernelVsMath)]
    public void PdivDenseW_KernelEqualsClosedForm() => AssertAll(ItemId.pdiv_dense_W, PerSampleX,
        (p, k) => ParameterJacobian(p.Batch, (int)DenseSizes[k].m, e => DensePull(p, k, e).rule.W.Grad));

    [Fact, Evidence(ItemId.dense_has_vjp, EvidenceKind.KernelVsMath)]
    public void DenseHasVjp_KernelEqualsClosedForm() => AssertAll(ItemId.dense_has_vjp,
        PerSampleXDy.Summing(k => (int)DenseSizes[k].n), (p, k) =>
        {
            var (dx, rule) = DensePull(p, k, DenseDy(p, k));
            return [.. Values(dx), .. Values(rule.W.Grad), .. Values(rule.B.Grad)];
        });

    [Fact, Evidence(ItemId.dense_weight_grad_correct, EvidenceKind.KernelVsMath)]
    public void DenseWeightGradCorrect_KernelEqualsClosedForm() => AssertAll(ItemId.dense_weight_grad_correct,
        PerSampleXDy.Summing(_ => 0), (p, k) => Values(DensePull(p, k, DenseDy(p, k)).rule.W.Grad));

    [Fact, Evidence(ItemId.dense_bias_grad_correct, EvidenceKind.KernelVsMath)]
    public void DenseBiasGradCorrect_KernelEqualsClosedForm() => AssertAll(ItemId.dense_bias_grad_correct,
        PerSampleXDy.Summing(_ => 0), (p, k) => Values(DensePull(p, k, DenseDy(p, k)).rule.B.Grad));

    // ---- softmax cross-entropy gradient (32): each sample has the instance's label; the loss is the batch mean
    // (convention ce-reduction), so the pullback of dL = B gives each sample's softmax(z_b) − t ----
    static readonly (long label, double eps)[] CeInstances = [(0, 0), (2, 0), (1, 0.1)];

    [Fact, Evidence(ItemId.softmaxCE_grad, EvidenceKind.KernelVsMath)]
    public void SoftmaxCeGrad_KernelEqualsClosedForm() => AssertAll(ItemId.softmaxCE_grad, Batching.Of("z"), (p, k) =>
    {
        var rule = new SoftmaxCrossEntropy(tensor(Enumerable.Repeat(CeInstances[k].label, p.Batch).ToArray()), CeInstances[k].eps);
        var (_, pullback) = rule.Forward(new Vec(p.Stack("z", k == 2 ? 4 : 3 + k)));
        return Values(pullback(new Vec(tensor(new double[] { p.Batch }).reshape(1, 1))).T);
    });

    // ---- conv2d weight/bias (40, 41) at stride 1 and 2; depthwise (54, 55); 3×3 kernels, SAME padding ----
    static readonly (long c, long o, long h, long w, long s)[] ConvSizes = [(1, 2, 3, 3, 1), (2, 1, 4, 3, 2)];
    static readonly (long c, long h, long w)[] DepthwiseSizes = [(1, 3, 3), (2, 3, 4)];
    static readonly Batching ConvBatching = Batching.Of("x", "dy").Summing(_ => 0);

    static Conv2d ConvPull(Point p, int k, ConvWeightStrategy weight = ConvWeightStrategy.Auto,
        ScalarType dtype = ScalarType.Float64)
    {
        var (c, o, h, w, s) = ConvSizes[k];
        var rule = new Conv2d(p.Get("W", o, c, 3, 3).to_type(dtype), p.Get("b", o).to_type(dtype), s, weightStrategy: weight);
        var (_, pullback) = rule.Forward(new Tensor3(p.Stack("x", c, h, w).to_type(dtype)));
        pullback(new Tensor3(p.Stack("dy", o, (h + s - 1) / s, (w + s - 1) / s).to_type(dtype)));
        return rule;
    }

    static Conv2d DepthwisePull(Point p, int k, ConvWeightStrategy weight = ConvWeightStrategy.Auto,
        ScalarType dtype = ScalarType.Float64)
    {
        var (c, h, w) = DepthwiseSizes[k];
        var rule = new Conv2d(p.Get("W", c, 1, 3, 3).to_type(dtype), p.Get("b", c).to_type(dtype), 1, depthwise: true,
            weightStrategy: weight);
        var (_, pullback) = rule.Forward(new Tensor3(p.Stack("x", c, h, w).to_type(dtype)));
        pullback(new Tensor3(p.Stack("dy", c, h, w).to_type(dtype)));
        return rule;
    }

    // Every depthwise weight strategy (Auto, libtorch's kernel among them): a new member is enumerated here.
    public static TheoryData<ConvWeightStrategy> DepthwiseWeightStrategies() =>
        [.. Enum.GetValues<ConvWeightStrategy>().Where(w => ConvStrategies.Applies(w, true, 3, 3, 1))];

    /// <summary>
    /// float32 against the float64 closed form: each dW entry is a sum of B·h·w ≤ 12 products of float32-rounded
    /// inputs (relative error 2⁻²⁴ each), so 2⁻²⁴·64 leaves a wide margin; a kernel off by 1e-4 (a wrong term) is far past it.
    /// </summary>
    const double DepthwiseFloat32Bound = 64.0 / (1 << 24);

    // Every weight strategy that applies to a 3×3 conv at strides 1 and 2 (Auto among them): a new member is enumerated here.
    static ConvWeightStrategy[] ApplicableConvWeightStrategies() =>
        [.. Enum.GetValues<ConvWeightStrategy>().Where(w => ConvSizes.All(z => ConvStrategies.Applies(w, false, 3, 3, z.s)))];

    public static TheoryData<ConvWeightStrategy> ConvWeightStrategies() => [.. ApplicableConvWeightStrategies()];

    [Fact]
    public void ConvWeightStrategies_IncludeEveryNonDepthwiseMemberThatAppliesAt3x3()
    {
        foreach (var w in new[] { ConvWeightStrategy.Auto, ConvWeightStrategy.Patches, ConvWeightStrategy.PatchesChunked,
                     ConvWeightStrategy.ForwardCorrelation, ConvWeightStrategy.Native })
            Assert.Contains(w, ApplicableConvWeightStrategies());
    }

    [Theory, MemberData(nameof(ConvWeightStrategies)), Evidence(ItemId.conv2d_weight_grad_has_vjp, EvidenceKind.KernelVsMath)]
    public void Conv2dWeightGrad_KernelEqualsClosedForm(ConvWeightStrategy weight) =>
        AssertAll(ItemId.conv2d_weight_grad_has_vjp, ConvBatching, (p, k) => Values(ConvPull(p, k, weight).W.Grad));

    // The same sums in float32 (at most B·h·w·c ≤ 24 products an entry; the depthwise bound's margin holds): libtorch's
    // kernel, which Auto runs at k ≥ 2, and our forms beside it.
    [Theory, MemberData(nameof(ConvWeightStrategies)), Evidence(ItemId.conv2d_weight_grad_has_vjp, EvidenceKind.KernelVsMath)]
    public void Conv2dWeightGrad_KernelInFloat32_EqualsClosedFormToFloat32Rounding(ConvWeightStrategy weight) =>
        AssertAll(ItemId.conv2d_weight_grad_has_vjp, ConvBatching,
            (p, k) => Values(ConvPull(p, k, weight, ScalarType.Float32).W.Grad.to_type(ScalarType.Float64)),
            tolerance: DepthwiseFloat32Bound);

    // Negative: the full conv's native float32 cotangent scaled by 1.0001 exceeds the float32 bound.
    [Fact]
    public void ConvNativeFloat32_ScaledByOnePartInTenThousand_IsCaught() =>
        Assert.Throws<Xunit.Sdk.TrueException>(() => AssertAll(ItemId.conv2d_weight_grad_has_vjp, ConvBatching,
            (p, k) => Values(ConvPull(p, k, ConvWeightStrategy.Native, ScalarType.Float32).W.Grad
                .to_type(ScalarType.Float64).Mul(1.0001)), tolerance: DepthwiseFloat32Bound));

    [Fact, Evidence(ItemId.conv2d_bias_grad_has_vjp, EvidenceKind.KernelVsMath)]
    public void Conv2dBiasGrad_KernelEqualsClosedForm() =>
        AssertAll(ItemId.conv2d_bias_grad_has_vjp, ConvBatching, (p, k) => Values(ConvPull(p, k).B!.Grad));

    [Theory, MemberData(nameof(DepthwiseWeightStrategies)), Evidence(ItemId.depthwise_weight_grad_has_vjp3, EvidenceKind.KernelVsMath)]
    public void DepthwiseWeightGrad_KernelEqualsClosedForm(ConvWeightStrategy weight) =>
        AssertAll(ItemId.depthwise_weight_grad_has_vjp3, ConvBatching, (p, k) => Values(DepthwisePull(p, k, weight).W.Grad));

    [Theory, MemberData(nameof(DepthwiseWeightStrategies)), Evidence(ItemId.depthwise_weight_grad_has_vjp3, EvidenceKind.KernelVsMath)]
    public void DepthwiseWeightGrad_KernelInFloat32_EqualsClosedFormToFloat32Rounding(ConvWeightStrategy weight) =>
        AssertAll(ItemId.depthwise_weight_grad_has_vjp3, ConvBatching,
            (p, k) => Values(DepthwisePull(p, k, weight, ScalarType.Float32).W.Grad.to_type(ScalarType.Float64)),
            tolerance: DepthwiseFloat32Bound);

    [Fact]
    public void DepthwiseWeightStrategies_IncludeLibtorchsKernel() =>
        Assert.Contains(ConvWeightStrategy.Native,
            Enum.GetValues<ConvWeightStrategy>().Where(w => ConvStrategies.Applies(w, true, 3, 3, 1)));

    // Negative: the native kernel's float32 cotangent scaled by 1.0001 exceeds the float32 bound.
    [Fact]
    public void DepthwiseNativeFloat32_ScaledByOnePartInTenThousand_IsCaught() =>
        Assert.Throws<Xunit.Sdk.TrueException>(() => AssertAll(ItemId.depthwise_weight_grad_has_vjp3, ConvBatching,
            (p, k) => Values(DepthwisePull(p, k, ConvWeightStrategy.Native, ScalarType.Float32).W.Grad
                .to_type(ScalarType.Float64).Mul(1.0001)), tolerance: DepthwiseFloat32Bound));

    [Fact, Evidence(ItemId.depthwise_bias_grad_has_vjp, EvidenceKind.KernelVsMath)]
    public void DepthwiseBiasGrad_KernelEqualsClosedForm() =>
        AssertAll(ItemId.depthwise_bias_grad_has_vjp, ConvBatching, (p, k) => Values(DepthwisePull(p, k).B!.Grad));

    // ---- negative case: a dense bias cotangent averaged over the batch is correct at batch 1 and caught at batch 3 ----
    [Fact]
    public void ABiasCotangentAveragedOverTheBatch_PassesAtBatch1AndIsCaughtAtBatch3()
    {
        double[] Kernel(Point p, int k)
        {
            var (n, m) = DenseSizes[k];
            var rule = new DenseBiasMean(p.Get("W", n, m), p.Get("b", m));
            rule.Forward(new Vec(p.Stack("x", n))).pullback(new Vec(DenseDy(p, k)));
            return Values(rule.B.Grad);
        }
        var batching = PerSampleXDy.Summing(_ => 0);
        Assert.True(Compare(ItemId.dense_bias_grad_correct, 0, batching, Kernel, batch: 1).MaxRelative <= Tolerance);
        var r = Compare(ItemId.dense_bias_grad_correct, 0, batching, Kernel);
        Assert.True(r.MaxRelative > 1e-3, $"the batch-mean mutant was not caught: {r}");
    }
}
