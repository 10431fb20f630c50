using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace LeanMlirVerify.FiniteDifference.Vjp.Rules;

/// <summary>
/// The conventions FD cannot see (kinks, ties) and the forwards the book defines, pinned on exact values and, where
/// libtorch has the same operation, against its autograd.
/// </summary>
public class ConventionTests
{
    static double[] Values(Tensor t) => t.to_type(ScalarType.Float64).contiguous().data<double>().ToArray();

    [Theory, Evidence(ItemId.relu_has_vjp, EvidenceKind.Property)]
    [InlineData(KernelStrategy.Auto), InlineData(KernelStrategy.Composed), InlineData(KernelStrategy.Native)]
    public void Relu_DerivativeAtZeroIsZeroAsInLibTorchAutograd(KernelStrategy strategy)
    {
        using var scope = NewDisposeScope();
        var x = tensor(new double[] { 0, 1, -1, 0 }).view(1, 4);
        var dy = tensor(new double[] { 5, 6, 7, 8 }).view(1, 4);
        var dx = Activations.Relu<Vec>(strategy).Forward(new Vec(x)).pullback(new Vec(dy)).T;
        Assert.Equal([0, 6, 0, 0], Values(dx));
        var leaf = x.clone().requires_grad_();
        leaf.relu().backward([dy]);
        Assert.Equal(Values(leaf.grad!), Values(dx));
    }

    [Theory, Evidence(ItemId.maxPool2_has_vjp3, EvidenceKind.Property)]
    [InlineData(KernelStrategy.Auto), InlineData(KernelStrategy.Composed), InlineData(KernelStrategy.Native)]
    public void MaxPool_TiesSendTheWholeCotangentToTheFirstMaximumInRowMajorOrderAsLibTorchDoes(KernelStrategy strategy)
    {
        using var scope = NewDisposeScope();
        // Window 1: all four tie; window 2: (0,1) and (1,0) tie at 3; windows 3, 4: unique maxima.
        var x = tensor(new double[]
        {
            2, 2, 1, 3,
            2, 2, 3, 0,
            9, 1, 4, 5,
            1, 0, 6, 5,
        }).view(1, 1, 4, 4);
        var dy = tensor(new double[] { 10, 20, 30, 40 }).view(1, 1, 2, 2);
        var dx = new MaxPool(2, 2, strategy).Forward(new Tensor3(x)).pullback(new Tensor3(dy)).T;
        Assert.Equal(new double[]
        {
            10, 0, 0, 20,
            0, 0, 0, 0,
            30, 0, 0, 0,
            0, 0, 40, 0,
        }, Values(dx));
        var leaf = x.clone().requires_grad_();
        F.max_pool2d(leaf, [2, 2], [2, 2]).backward([dy]);
        Assert.Equal(Values(leaf.grad!), Values(dx));
    }

    [Fact]
    public void MaxPool_OddSizesPadWithMinusInfinityAndNeverRoutePadding()
    {
        using var scope = NewDisposeScope();
        // 3×3 → ⌈3/2⌉ = 2 per side; SAME total padding 1 goes to the high side; all-negative input.
        var x = tensor(new double[] { -1, -2, -3, -4, -5, -6, -7, -8, -9 }).view(1, 1, 3, 3);
        var (y, pullback) = new MaxPool(2, 2).Forward(new Tensor3(x));
        Assert.Equal([-1, -3, -7, -9], Values(y.T));
        var dx = pullback(new Tensor3(ones(1, 1, 2, 2, ScalarType.Float64))).T;
        Assert.Equal([1, 0, 1, 0, 0, 0, 1, 0, 1], Values(dx));
    }

    /// <summary>The book's conv2d by its index formula, SAME padding by netspec facts §2.4.</summary>
    static double[] NaiveConv(double[,,] x, double[,,,] w, double[] b, int stride)
    {
        int c = x.GetLength(0), h = x.GetLength(1), wd = x.GetLength(2), o = w.GetLength(0), k = w.GetLength(2);
        var ph = SamePadding.For(h, k, stride);
        var pw = SamePadding.For(wd, k, stride);
        var y = new List<double>();
        for (var oc = 0; oc < o; oc++)
            for (var i = 0; i < ph.Out; i++)
                for (var j = 0; j < pw.Out; j++)
                {
                    var sum = b[oc];
                    for (var ic = 0; ic < c; ic++)
                        for (var kh = 0; kh < k; kh++)
                            for (var kw = 0; kw < k; kw++)
                            {
                                long r = i * stride + kh - ph.Low, q = j * stride + kw - pw.Low;
                                if (r >= 0 && r < h && q >= 0 && q < wd) sum += w[oc, ic, kh, kw] * x[ic, r, q];
                            }
                    y.Add(sum);
                }
        return [.. y];
    }

    [Theory, Evidence(ItemId.conv2d, EvidenceKind.Property)]
    [InlineData(3, 1, 6)]
    [InlineData(2, 1, 5)]
    [InlineData(4, 2, 7)]
    [InlineData(3, 2, 6)]
    [InlineData(1, 2, 5)]
    [InlineData(7, 2, 9)]
    public void Conv2d_ForwardIsTheBooksCrossCorrelationWithSamePadding(int k, int stride, int size)
    {
        using var scope = NewDisposeScope();
        var init = Init.Float64Cpu(k * 100 + stride * 10 + size);
        var x = init.Point(1, 2, size, size);
        var w = init.Point(3, 2, k, k);
        var b = init.Point(3);
        var y = new Conv2d(w, b, stride).Apply(new Tensor3(x)).T;
        var expectedSide = (size + stride - 1) / stride;
        Assert.Equal(new long[] { 1, 3, expectedSide, expectedSide }, y.shape);
        var xs = new double[2, size, size];
        var ws = new double[3, 2, k, k];
        Buffer.BlockCopy(Values(x), 0, xs, 0, xs.Length * sizeof(double));
        Buffer.BlockCopy(Values(w), 0, ws, 0, ws.Length * sizeof(double));
        var expected = NaiveConv(xs, ws, Values(b), stride);
        var actual = Values(y);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-12);
    }

    [Fact]
    public void BatchNorm_RunningStatsCopyTheFirstBatchThenMoveByMomentum01()
    {
        using var scope = NewDisposeScope();
        var init = Init.Float64Cpu(21);
        var bn = new BatchNorm(3, init);
        var x1 = init.Point(4, 3, 2, 2);
        var x2 = init.Point(4, 3, 2, 2);
        bn.Apply(new Tensor3(x1));
        long[] dims = [0, 2, 3];
        Assert.Equal(Values(x1.mean(dims)), Values(bn.Normalize.RunningMean!), new DoubleTolerance(1e-14));
        Assert.Equal(Values(x1.var(dims, unbiased: false)), Values(bn.Normalize.RunningVar!), new DoubleTolerance(1e-14));
        bn.Apply(new Tensor3(x2));
        Assert.Equal(Values(x1.mean(dims).Mul(0.9).Add(x2.mean(dims).Mul(0.1))), Values(bn.Normalize.RunningMean!),
            new DoubleTolerance(1e-14));
        Assert.Equal(Values(x1.var(dims, unbiased: false).Mul(0.9).Add(x2.var(dims, unbiased: false).Mul(0.1))),
            Values(bn.Normalize.RunningVar!), new DoubleTolerance(1e-14));
        Assert.Equal(2, bn.Normalize.Steps);
    }

    [Fact]
    public void BatchNorm_EvalModeNormalisesWithTheRunningStats()
    {
        using var scope = NewDisposeScope();
        var init = Init.Float64Cpu(22);
        var bn = new BatchNorm(init.Point(2), init.Point(2)) { Training = false };
        Assert.Throws<InvalidOperationException>(() => bn.Apply(new Tensor3(init.Point(1, 2, 3, 3))));
        var mean = init.Point(2);
        var variance = init.Point(2).abs().Add(0.5);
        bn.Normalize.SetRunningStats(mean, variance, 10);
        var x = init.Point(2, 2, 3, 3);
        var expected = ((x - mean.view(1, 2, 1, 1)) / variance.view(1, 2, 1, 1).Add(1e-5).sqrt()
            * bn.Affine.Gamma.Value.view(1, 2, 1, 1)).Add(bn.Affine.Beta.Value.view(1, 2, 1, 1));
        Assert.Equal(Values(expected), Values(bn.Apply(new Tensor3(x)).T), new DoubleTolerance(1e-13));
        Assert.Equal(10, bn.Normalize.Steps);
    }

    [Fact, Evidence(ItemId.softmaxCE_grad, EvidenceKind.Property)]
    public void SoftmaxCrossEntropy_SmoothedTargetsLossAndGradientMatchTheTrainerFormulas()
    {
        using var scope = NewDisposeScope();
        var z = tensor(new double[] { 1, 2, 3, 0, 0, 0 }).view(2, 3);
        var loss = new SoftmaxCrossEntropy(tensor(new long[] { 2, 0 }), 0.3);
        Assert.Equal([0.1, 0.1, 0.8, 0.8, 0.1, 0.1], Values(loss.Targets(z)), new DoubleTolerance(1e-15));
        var (y, pullback) = loss.Forward(new Vec(z));
        var logP = z.log_softmax(1);
        var expectedLoss = -(loss.Targets(z) * logP).sum().item<double>() / 2;
        Assert.Equal(expectedLoss, y.T.item<double>(), 1e-14);
        var dz = pullback(new Vec(ones(1, 1, ScalarType.Float64))).T;
        Assert.Equal(Values((logP.exp() - loss.Targets(z)).Div(2)), Values(dz), new DoubleTolerance(1e-15));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SoftmaxCrossEntropy(tensor(new long[] { 3, 0 })).Forward(new Vec(z)));
    }

    [Theory]
    [InlineData(new long[] { 3, 0 }, "labels span 0..3 but there are 3 classes")]
    [InlineData(new long[] { 1, -1 }, "labels span -1..1 but there are 3 classes")]
    public void SoftmaxCrossEntropy_LabelOutOfRange_NamesTheRuleAndTheSpan(long[] labels, string span)
    {
        using var scope = NewDisposeScope();
        var z = zeros(2, 3, ScalarType.Float64);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new SoftmaxCrossEntropy(tensor(labels)).Forward(new Vec(z)));
        Assert.Contains("softmax cross-entropy (ε=0) [", e.Message);
        Assert.Contains(span, e.Message);
    }

    [Fact]
    public void Rules_AreGenericInDtype_Float32BlockMatchesFloat64()
    {
        using var scope = NewDisposeScope();
        var init64 = Init.Float64Cpu(31);
        var block64 = Blocks.MbConv(3, 3, 2, 3, 1, true, init64);
        var block32 = Blocks.MbConv(3, 3, 2, 3, 1, true, new Init(ScalarType.Float32, CPU, 0));
        foreach (var (p32, p64) in block32.Parameters.Zip(block64.Parameters)) p32.Value.copy_(p64.Value.to_type(ScalarType.Float32));
        var x = init64.Point(2, 3, 5, 5);
        var dy = init64.Point(2, 3, 5, 5);
        var (y64, pb64) = block64.Forward(new Tensor3(x));
        var (y32, pb32) = block32.Forward(new Tensor3(x.to_type(ScalarType.Float32)));
        var dx32 = pb32(new Tensor3(dy.to_type(ScalarType.Float32))).T;
        Assert.Equal(ScalarType.Float32, y32.T.dtype);
        Assert.Equal(ScalarType.Float32, dx32.dtype);
        Assert.True(block32.Parameters.All(p => p.Grad.dtype == ScalarType.Float32));
        Assert.Equal(Values(y64.T), Values(y32.T), new DoubleTolerance(1e-4));
        Assert.Equal(Values(pb64(new Tensor3(dy)).T), Values(dx32), new DoubleTolerance(1e-4));
    }

    [Fact]
    public void Describe_BasicBlockRestsOnTheResidualConvBnAndReluItems()
    {
        var block = Blocks.BasicBlock(4, 8, 2, Init.Float64Cpu(41));
        var items = block.Describe().Items();
        foreach (var item in new[]
        {
            ItemId.vjp3_comp, ItemId.residual_has_vjp, ItemId.biPath3_has_vjp, ItemId.conv2d_has_vjp3,
            ItemId.conv2d_weight_grad_has_vjp, ItemId.bn_has_vjp, ItemId.bnNormalize_has_vjp, ItemId.bnAffine_has_vjp,
            ItemId.relu_has_vjp,
        })
            Assert.Contains(item, items);
        Assert.DoesNotContain(ItemId.identity_has_vjp, items); // projection shortcut, not identity
        Assert.Equal(
            ["basic.conv1.conv.W", "basic.conv1.bn.γ", "basic.conv1.bn.β", "basic.conv2.conv.W", "basic.conv2.bn.γ",
             "basic.conv2.bn.β", "basic.proj.conv.W", "basic.proj.bn.γ", "basic.proj.bn.β"],
            block.Parameters.Select(p => p.Name));
    }

    sealed class DoubleTolerance(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= tolerance * Math.Max(1, Math.Abs(b));
        public int GetHashCode(double value) => 0;
    }
}
