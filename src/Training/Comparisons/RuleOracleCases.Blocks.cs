using LeanMlirVerify.Training.Twin;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using static TorchSharp.torch;
using VjpBlocks = LeanMlirVerify.Vjp.Rules.Blocks;

namespace LeanMlirVerify.Training.Comparisons;

/// <summary>Per-rule oracle cases of the convolutions, pooling, batch norm, the matrix kit, attention and the blocks.</summary>
public static partial class RuleOracleCases
{
    static readonly (long K, long Stride, long Size)[] ConvGeometries = [(3, 1, 7), (2, 2, 7), (2, 1, 6), (3, 2, 8), (2, 3, 7), (4, 4, 8)];
    static readonly (long K, long Stride, long Size)[] DepthwiseGeometries = [(3, 2, 7), (2, 1, 6), (3, 1, 5)];
    static readonly (long Size, long Stride, long H)[] PoolGeometries = [(2, 2, 8), (2, 2, 7), (3, 2, 7), (3, 1, 5)];

    static Tensor3 BnInput(Init i) => new(i.Normal([4, 3, 5, 6], 2.0).Add(0.5));

    static Tensor Ones(Tensor x) => ones(x.shape[1], x.dtype, x.device);

    static Tensor Zeros(Tensor x) => zeros(x.shape[1], x.dtype, x.device);

    /// <summary>A constant plane (every window tied, as on MNIST's background) and a plane of two levels.</summary>
    static Tensor Tied(Init i, long h) =>
        cat([zeros(1, 2, h, h, i.Dtype, i.Device),
            tensor(Enumerable.Range(0, (int)(h * h)).Select(k => Math.Floor(k / 10.0)).ToArray()).view(1, 1, h, h).to(i.Dtype, i.Device)
                .expand(1, 2, h, h)], 0).contiguous();

    static IEnumerable<RuleOracleCase> Convolutions()
    {
        foreach (var (k, stride, size) in ConvGeometries)
            yield return Case<Tensor3, Tensor3>("conv2d", $"B=3, 3→4, {size}×{size}, k={k}, s={stride}", (i, t) =>
                (new Conv2d(i.Normal([4, 3, k, k], 0.4), i.Normal([4]), stride), (x, p) => t.Conv2d(x, p[0], p[1], stride, 1),
                    new Tensor3(i.Point(3, 3, size, size))));
        foreach (var (k, stride, size) in DepthwiseGeometries)
            yield return Case<Tensor3, Tensor3>("depthwise", $"B=3, C=4, {size}×{size}, k={k}, s={stride}", (i, t) =>
                (new Conv2d(i.Normal([4, 1, k, k], 0.4), i.Normal([4]), stride, depthwise: true),
                    (x, p) => t.Conv2d(x, p[0], p[1], stride, 4), new Tensor3(i.Point(3, 4, size, size))));
        // Auto ("maxpool"), then each strategy forced ("maxpool-composed", "maxpool-native"), on the same geometries and ties.
        foreach (var strategy in Enum.GetValues<KernelStrategy>())
        {
            var (rule, forced) = strategy == KernelStrategy.Auto
                ? ("maxpool", "")
                : ($"maxpool-{KernelStrategies.Name(strategy)}", ", forced");
            foreach (var (size, stride, h) in PoolGeometries)
                yield return Case<Tensor3, Tensor3>(rule, $"B=2, C=3, {h}×{h}, {size}/{stride}, distinct{forced}", (i, t) =>
                    (new MaxPool(size, stride, strategy), (x, _) => t.MaxPool(x, size, stride), new Tensor3(i.Distinct(0.01, 2, 3, h, h))));
            foreach (var (size, stride, h) in new[] { (2L, 2L, 6L), (3L, 2L, 7L) })
                yield return Case<Tensor3, Tensor3>(rule, $"{h}×{h}, {size}/{stride}, tied windows{forced}", (i, t) =>
                    (new MaxPool(size, stride, strategy), (x, _) => t.MaxPool(x, size, stride), new Tensor3(Tied(i, h))));
        }
        yield return Case<Tensor3, Vec>("global-avg-pool", "B=3, C=4, 5×6", (i, _) =>
            (Pooling.GlobalAvgPool(), (x, _) => TwinOps.GlobalAvgPool(x), new Tensor3(i.Point(3, 4, 5, 6))));
        yield return Case<Tensor3, Vec>("flatten", "B=3, C=4, 5×6", (i, _) =>
            (Pooling.Flatten(), (x, _) => TwinOps.Flatten(x), new Tensor3(i.Point(3, 4, 5, 6))));
        yield return Case<Tensor3, Tensor3>("bn-normalize", "B=4, C=3, 5×6", (i, t) =>
            (new BnNormalize(3), (x, _) => t.BatchNormTrain(x, Ones(x), Zeros(x)), BnInput(i)));
        yield return Case<Tensor3, Tensor3>("bn-affine", "B=4, C=3, 5×6", (i, _) =>
            (new BnAffine(i.Normal([3]), i.Normal([3])), (x, p) => (x * p[0].view(1, -1, 1, 1)).Add(p[1].view(1, -1, 1, 1)), BnInput(i)));
        yield return Case<Tensor3, Tensor3>("batchnorm", "B=4, C=3, 5×6, γ, β ~ N(0,1)", (i, t) =>
            (new BatchNorm(i.Normal([3]), i.Normal([3])), (x, p) => t.BatchNormTrain(x, p[0], p[1]), BnInput(i)));
        foreach (var strategy in Enum.GetValues<BnStrategy>().Where(s => s != BnStrategy.Auto))
            yield return Case<Tensor3, Tensor3>($"batchnorm-{BnStrategies.Name(strategy)}", "B=4, C=3, 5×6, γ, β ~ N(0,1), forced",
                (i, t) => (new BatchNorm(i.Normal([3]), i.Normal([3]), strategy: strategy),
                    (x, p) => t.BatchNormTrain(x, p[0], p[1]), BnInput(i)));
        yield return Case<Tensor3, Tensor3>("batchnorm-eval", "B=4, C=3, 5×6, running statistics", (i, _) =>
        {
            var bn = new BatchNorm(i.Normal([3]), i.Normal([3]));
            var (mean, variance) = (i.Normal([3]), i.Normal([3]).abs().Add(0.3));
            bn.Normalize.SetRunningStats(mean, variance, 1);
            bn.Training = false;
            return (bn, (x, p) => TwinOps.BatchNormEval(x, p[0], p[1], mean, variance), BnInput(i));
        });
        yield return Case<Tensor3, Tensor3>("bn-centered", "B=4, C=3, 5×6", (i, _) =>
            (new BnCentered(), (x, _) => TwinOps.BnCentered(x), BnInput(i)));
        yield return Case<Tensor3, Tensor3>("bn-istd-broadcast", "B=4, C=3, 5×6", (i, _) =>
            (new BnIstdBroadcast(), (x, _) => TwinOps.BnIstdBroadcast(x), BnInput(i)));
    }

    static IEnumerable<RuleOracleCase> Matrices()
    {
        yield return Case<Mat, Mat>("matmul-left-const", "B=3, A 4×5, X 5×7", (i, _) =>
        {
            var a = i.Normal([4, 5]);
            return (MatrixKit.MatmulLeftConst(a), (x, _) => a.matmul(x), new Mat(i.Point(3, 5, 7)));
        });
        yield return Case<Mat, Mat>("matmul-right-const", "B=3, X 5×7, B 7×2", (i, _) =>
        {
            var b = i.Normal([7, 2]);
            return (MatrixKit.MatmulRightConst(b), (x, _) => x.matmul(b), new Mat(i.Point(3, 5, 7)));
        });
        yield return Case<Mat, Mat>("scalar-scale", "B=3, 5×7, s=−0.37", (i, _) =>
            (MatrixKit.ScalarScale<Mat>(-0.37), (x, _) => x.Mul(-0.37), new Mat(i.Point(3, 5, 7))));
        yield return Case<Mat, Mat>("transpose", "B=3, 5×7", (i, _) =>
            (MatrixKit.Transpose(), (x, _) => x.transpose(1, 2), new Mat(i.Point(3, 5, 7))));
        yield return Case<Mat, Mat>("row-wise", "B=3, 5×7, dense 7→4 per row", (i, t) =>
            (MatrixKit.RowWise(new Dense(i.Normal([7, 4]), i.Normal([4]), "fc")), (x, p) => t.Dense(x, p[0], p[1]),
                new Mat(i.Point(3, 5, 7))));
        var (q, k, v) = (new[] { 4L, 3L }, new[] { 4L, 3L }, new[] { 4L, 3L });
        yield return Case<Mat, Mat>("sdpa-q", "B=2, n=4, d=3", (i, t) =>
        {
            var (kt, vt) = (i.Point(k), i.Point(v));
            return (Attention.WrtQ(kt, vt), (x, _) => t.Sdpa(x, kt, vt), new Mat(i.Point(2, 4, 3)));
        });
        yield return Case<Mat, Mat>("sdpa-k", "B=2, n=4, d=3", (i, t) =>
        {
            var (qt, vt) = (i.Point(q), i.Point(v));
            return (Attention.WrtK(qt, vt), (x, _) => t.Sdpa(qt, x, vt), new Mat(i.Point(2, 4, 3)));
        });
        yield return Case<Mat, Mat>("sdpa-v", "B=2, n=4, d=3", (i, t) =>
        {
            var (qt, kt) = (i.Point(q), i.Point(k));
            return (Attention.WrtV(qt, kt), (x, _) => t.Sdpa(qt, kt, x), new Mat(i.Point(2, 4, 3)));
        });
        yield return Case<Mat, Mat>("mhsa", "B=2, n=4, H=2, dh=3, packed Q | K | V", (i, t) =>
            (Attention.MultiHead(2, 3), (x, _) => PackedHeads(t, x, 2, 3), new Mat(i.Point(2, 4, 18))));
        // The key bias has an analytically zero gradient (softmax ignores a shift shared by a row): case-relative.
        yield return Case<Mat, Mat>("mhsa-layer", "B=2, n=3, dim=4, H=2", (i, t) =>
            (Attention.Layer(4, 2, i), (x, p) => Projected(t, x, 2, p), new Mat(i.Point(2, 3, 4))), caseRelative: true);
        yield return Case<Tensor3, Mat>("patch-embed", "B=2, ic=2, 4×4, p=2, D=3", (i, _) =>
            (PatchEmbed.Create(i.Point(3, 2, 2, 2), i.Point(3), i.Point(3), i.Point(5, 3)),
                Cursor((x, c) => TwinBlocks.PatchEmbed(x, c, 2, 3, 2, 4)), new Tensor3(i.Point(2, 2, 4, 4))));
        yield return Case<Mat, Vec>("cls-token", "B=2, tokens=3, D=4", (i, _) =>
            (Layout.ClsToken(), (x, _) => x.select(1, 0), new Mat(i.Point(2, 3, 4))));
    }

    /// <summary>Multi-head SDPA of packed [B, n, 3·H·dh] (columns Q | K | V, heads contiguous in each).</summary>
    static Tensor PackedHeads(TwinSet t, Tensor x, long heads, long dh)
    {
        long b = x.shape[0], n = x.shape[1];
        Tensor Part(int j) => x.narrow(2, j * heads * dh, heads * dh).view(b, n, heads, dh).transpose(1, 2);
        return t.Sdpa(Part(0), Part(1), Part(2)).transpose(1, 2).reshape(b, n, heads * dh);
    }

    /// <summary>The MHSA layer: Q, K, V, O projections (W [dim, dim] input-major, with bias) around multi-head SDPA.</summary>
    static Tensor Projected(TwinSet t, Tensor x, long heads, IReadOnlyList<Tensor> p)
    {
        long b = x.shape[0], n = x.shape[1], dim = p[0].shape[1], dh = dim / heads;
        Tensor Split(Tensor y) => y.view(b, n, heads, dh).transpose(1, 2);
        var attended = t.Sdpa(Split(t.Dense(x, p[0], p[1])), Split(t.Dense(x, p[2], p[3])), Split(t.Dense(x, p[4], p[5])));
        return t.Dense(attended.transpose(1, 2).reshape(b, n, dim), p[6], p[7]);
    }

    static TwinForward Cursor(Func<Tensor, ParamCursor, Tensor> twin) => (x, p) =>
    {
        var cursor = new ParamCursor(p, "twin block");
        var y = twin(x, cursor);
        cursor.RequireEnd();
        return y;
    };

    static RuleOracleCase Block(string rule, string sizes, long ic, Func<Init, HasVjp<Tensor3, Tensor3>> build,
        Func<Tensor, ParamCursor, Tensor> twin) =>
        Case<Tensor3, Tensor3>(rule, sizes, (i, _) => (build(i), Cursor(twin), new Tensor3(i.Point(2, ic, 6, 6))), caseRelative: true);

    static IEnumerable<RuleOracleCase> Blocks()
    {
        yield return Block("conv-bn", "3→4, k=3, s=2, ReLU", 3, i => VjpBlocks.ConvBn(3, 4, 3, 2, "relu", i),
            (x, p) => TwinBlocks.ConvBn(x, p, 3, 4, 3, 2, "relu"));
        yield return Block("residual", "4→4, s=1, identity shortcut", 4, i => VjpBlocks.BasicBlock(4, 4, 1, i),
            (x, p) => TwinBlocks.BasicBlock(x, p, 4, 4, 1));
        yield return Block("residual", "4→4, s=2, projection shortcut", 4, i => VjpBlocks.BasicBlock(4, 4, 2, i),
            (x, p) => TwinBlocks.BasicBlock(x, p, 4, 4, 2));
        yield return Block("bottleneck", "8→8, s=1", 8, i => VjpBlocks.Bottleneck(8, 8, 1, i),
            (x, p) => TwinBlocks.Bottleneck(x, p, 8, 8, 1));
        yield return Block("inverted-residual", "4→4, expand 2, s=1", 4, i => VjpBlocks.InvertedResidual(4, 4, 2, 1, i),
            (x, p) => TwinBlocks.InvertedResidual(x, p, 4, 4, 2, 1));
        yield return Block("se", "C=8, mid 2, Swish / sigmoid", 8, i => VjpBlocks.SqueezeExcite(8, 2, "swish", "sigmoid", i),
            (x, p) => TwinBlocks.SqueezeExcite(x, p, 8, 2, "swish", "sigmoid"));
        yield return Block("mbconv", "4→4, expand 2, k=3, SE", 4, i => VjpBlocks.MbConv(4, 4, 2, 3, 1, true, i),
            (x, p) => TwinBlocks.MbConv(x, p, 4, 4, 2, 3, 1, true));
        yield return Block("mbconv-v3", "4→4, mid 8, k=3, SE, hard-swish", 4, i => VjpBlocks.MbConvV3(4, 4, 8, 3, 1, true, true, i),
            (x, p) => TwinBlocks.MbConvV3(x, p, 4, 4, 8, 3, 1, true, true));
        yield return Block("fused-mbconv", "4→4, expand 2, k=3", 4, i => VjpBlocks.FusedMbConv(4, 4, 2, 3, 1, false, i),
            (x, p) => TwinBlocks.FusedMbConv(x, p, 4, 4, 2, 3, 1, false));
        yield return Block("uib", "4→4, expand 2, pre 3, post 5", 4, i => VjpBlocks.Uib(4, 4, 2, 1, 3, 5, i),
            (x, p) => TwinBlocks.Uib(x, p, 4, 4, 2, 1, 3, 5));
        yield return Case<Mat, Vec>("vit-body", "B=2, tokens=3, dim=4, H=2, mlp 6, depth 1, then the CLS token", (i, _) =>
            (TransformerBlocks.Encoder(4, 2, 6, 1, i), Cursor((x, p) => TwinBlocks.TransformerEncoder(x, p, 4, 2, 6, 1)),
                new Mat(i.Normal([2, 3, 4], 2))), caseRelative: true);
    }
}
