using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.Checking;

/// <summary>A catalog rule at one stated configuration, checked by central differences (dx and every parameter cotangent).</summary>
public sealed record FdConfiguration(string Rule, string Sizes, Func<Init, CheckCase> Build);

/// <summary>
/// The configurations the book's 25 checks leave out, where realistic bugs hide: batch &gt; 1 (a missing batch sum),
/// stride 2 and even kernels on odd sizes (SAME padding split unevenly, low ⌊P/2⌋), padded max-pool, label smoothing
/// ε &gt; 0, every γ/β gradient, GELU's tanh form, LayerNorm, attention at batch &gt; 1, and blocks with identity and
/// projection shortcuts. Each at fixed sizes and a fixed seed; <c>lmv check --fd</c> runs them after the book's checks.
/// </summary>
public static class FdConfigurations
{
    static Tensor Spread(Init init, params long[] shape) => init.Normal(shape, 2.0);

    public static IReadOnlyList<FdConfiguration> All { get; } =
    [
        new("dense", "B=3, 5→4", i => CheckCase.Of(new Dense(i.Point(5, 4), i.Point(4)), i.Point(3, 5))),
        new("softmax-ce", "B=3, K=5, ε=0.1", i =>
            CheckCase.Of(new SoftmaxCrossEntropy(tensor(new long[] { 4, 0, 2 }), 0.1), i.Point(3, 5))),
        new("conv2d", "B=2, 2→3, 7×5, k=2, s=1 (SAME 0|1)", i =>
            CheckCase.Of(new Conv2d(i.Point(3, 2, 2, 2), i.Point(3), 1), i.Point(2, 2, 7, 5))),
        new("conv2d", "B=2, 2→2, 7×6, k=3, s=2", i => CheckCase.Of(new Conv2d(i.Point(2, 2, 3, 3), i.Point(2), 2), i.Point(2, 2, 7, 6))),
        new("conv2d", "B=2, 2→2, 5×5, k=4, s=2", i => CheckCase.Of(new Conv2d(i.Point(2, 2, 4, 4), i.Point(2), 2), i.Point(2, 2, 5, 5))),
        new("conv2d", "B=2, 1→2, 7×7, k=2, s=3 (stride > k)", i =>
            CheckCase.Of(new Conv2d(i.Point(2, 1, 2, 2), i.Point(2), 3), i.Point(2, 1, 7, 7))),
        new("depthwise", "B=2, C=3, 7×7, k=3, s=2", i =>
            CheckCase.Of(new Conv2d(i.Point(3, 1, 3, 3), i.Point(3), 2, depthwise: true), i.Point(2, 3, 7, 7))),
        new("depthwise", "B=2, C=2, 6×5, k=2, s=1", i =>
            CheckCase.Of(new Conv2d(i.Point(2, 1, 2, 2), i.Point(2), 1, depthwise: true), i.Point(2, 2, 6, 5))),
        new("maxpool", "B=2, C=2, 5×7, 2/2 (padded 0|1)", i => CheckCase.Of(new MaxPool(2, 2), i.Distinct(0.01, 2, 2, 5, 7))),
        new("maxpool", "B=2, C=2, 6×6, 3/2 (padded 0|1)", i => CheckCase.Of(new MaxPool(3, 2), i.Distinct(0.01, 2, 2, 6, 6))),
        new("maxpool", "B=2, C=1, 5×5, 3/1 (padded 1|1)", i => CheckCase.Of(new MaxPool(3, 1), i.Distinct(0.01, 2, 1, 5, 5))),
        new("bn-normalize", "B=3, C=2, 3×4", i => CheckCase.Of(new BnNormalize(2), i.Point(3, 2, 3, 4))),
        new("batchnorm", "B=3, C=2, 4×3, γ, β ~ N(0,1)", i => CheckCase.Of(new BatchNorm(i.Point(2), i.Point(2)), i.Point(3, 2, 4, 3))),
        new("bn-affine", "B=2, C=3, 3×3, γ, β ~ N(0,1)", i => CheckCase.Of(new BnAffine(i.Point(3), i.Point(3)), i.Point(2, 3, 3, 3))),
        new("batchnorm-eval", "B=2, C=2, 3×3, running statistics", i =>
        {
            var bn = new BatchNorm(i.Point(2), i.Point(2)) { Training = false };
            bn.Normalize.SetRunningStats(i.Point(2), i.Point(2).abs().Add(0.5), 1);
            return CheckCase.Of(bn, i.Point(2, 2, 3, 3));
        }),
        new("layernorm", "N=3, D=5, γ, β ~ N(0,1)", i => CheckCase.Of(LayerNorm.Create(i.Point(5), i.Point(5)), Spread(i, 3, 5))),
        new("layernorm-composed", "N=3, D=5, γ, β ~ N(0,1), composed (forced)",
            i => CheckCase.Of(LayerNorm.Create(i.Point(5), i.Point(5), strategy: KernelStrategy.Composed), Spread(i, 3, 5))),
        new("layernorm-per-token", "B=2, tokens=3, D=4", i =>
            CheckCase.Of(LayerNorm.PerToken(LayerNorm.Create(i.Point(4), i.Point(4))), Spread(i, 2, 3, 4))),
        new("gelu-tanh", "B=2, n=5", i => CheckCase.Of(Activations.GeluTanh<Vec>(), i.Point(2, 5))),
        new("gelu-tanh-composed", "B=2, n=5, composed (forced)",
            i => CheckCase.Of(Activations.GeluTanh<Vec>(KernelStrategy.Composed), i.Point(2, 5))),
        new("gelu-erf", "B=2, n=5", i => CheckCase.Of(Activations.GeluErf<Vec>(), i.Point(2, 5))),
        new("softmax", "B=2, n=4", i => CheckCase.Of(new Softmax(), i.Point(2, 4))),
        new("row-softmax", "B=2, 3×4", i => CheckCase.Of(Softmax.Rows(), i.Point(2, 3, 4))),
        new("sdpa-q", "B=2, n=4, d=3", i => CheckCase.Of(Attention.WrtQ(i.Point(4, 3), i.Point(4, 3)), i.Point(2, 4, 3))),
        new("sdpa-k", "B=2, n=4, d=3", i => CheckCase.Of(Attention.WrtK(i.Point(4, 3), i.Point(4, 3)), i.Point(2, 4, 3))),
        new("sdpa-v", "B=2, n=4, d=3", i => CheckCase.Of(Attention.WrtV(i.Point(4, 3), i.Point(4, 3)), i.Point(2, 4, 3))),
        new("mhsa", "B=2, n=3, H=2, dh=2", i => CheckCase.Of(Attention.MultiHead(2, 2), i.Point(2, 3, 12))),
        new("mhsa-layer", "B=2, n=3, dim=4, H=2", i => CheckCase.Of(Attention.Layer(4, 2, i), i.Point(2, 3, 4))),
        new("attention-sublayer", "B=2, n=3, dim=4, H=2", i =>
            CheckCase.Of(TransformerBlocks.AttentionSublayer(4, 2, i), Spread(i, 2, 3, 4))),
        new("patch-embed", "B=2, ic=2, 4×4, p=2, D=3", i =>
            CheckCase.Of(PatchEmbed.Create(i.Point(3, 2, 2, 2), i.Point(3), i.Point(3), i.Point(5, 3)), i.Point(2, 2, 4, 4))),
        new("mlp", "B=3, 5→4→3, biases +1", i =>
        {
            var mlp = Blocks.Mlp([5, 4, 3], i);
            foreach (var p in mlp.Parameters.Where(p => p.Name.EndsWith(".b", StringComparison.Ordinal))) p.Value.AddInPlace(1);
            return CheckCase.Of(mlp, i.Point(3, 5));
        }),
        new("residual", "B=2, C=2, 5×5, identity shortcut", i => CheckCase.Of(Blocks.BasicBlock(2, 2, 1, i), i.Point(2, 2, 5, 5))),
        new("residual", "B=2, 2→3, 5×5, s=2, projection shortcut", i =>
            CheckCase.Of(Blocks.BasicBlock(2, 3, 2, i), i.Point(2, 2, 5, 5))),
        new("inverted-residual", "B=2, 2→3, expand 2, 5×5, s=2", i =>
            CheckCase.Of(Blocks.InvertedResidual(2, 3, 2, 2, i), i.Point(2, 2, 5, 5))),
        new("se", "B=2, C=4, 4×4, Swish / sigmoid", i =>
            CheckCase.Of(Blocks.SqueezeExcite(4, 2, "swish", "sigmoid", i), i.Point(2, 4, 4, 4))),
    ];

    /// <summary>Each configuration at its seed (3000 + its index): one row per configuration in scope, its worst tensor.</summary>
    public static IEnumerable<CheckRow> Run(CheckScope scope, string family)
    {
        for (var k = 0; k < All.Count; k++)
        {
            var (config, seed) = (All[k], 3000 + k);
            if (Check(family, $"{config.Rule} {config.Sizes}", config.Rule, Init.Float64Cpu(seed), config.Build, scope) is { } row)
                yield return row;
        }
    }

    /// <summary>
    /// Builds a case and checks dx and every parameter cotangent against central differences for a random dy
    /// (error / max(1, |FD|) ≤ 1e-7; an element that misses it at the step 1e-5 is recomputed by Richardson extrapolation,
    /// so the FD truncation error at a strongly curved point — BN over a small variance — is not reported as the rule's);
    /// null when the case is out of scope. Its tensors die with it.
    /// </summary>
    public static CheckRow? Check(string family, string @case, string rule, Init init, Func<Init, CheckCase> build, CheckScope scope)
    {
        using var dispose = NewDisposeScope();
        return CheckRow.Guard(family, @case, rule, () =>
        {
            var c = build(init);
            if (!scope.Includes(c.Root)) return null;
            return Summarize(family, @case, rule, VjpCheck.Cotangent(c, init.Point(c.Forward(c.X).shape), relative: true));
        });
    }

    /// <summary>One row for a case's tensor rows: the worst error, pass only if all pass, failing tensors named.</summary>
    public static CheckRow Summarize(string family, string @case, string rule, IReadOnlyList<CheckResult> rows)
    {
        var worst = rows.Max(r => double.IsNaN(r.MaxError) ? double.PositiveInfinity : r.MaxError);
        var failed = rows.Where(r => !r.Passed).ToList();
        var error = double.IsPositiveInfinity(worst) ? double.NaN : worst;
        return new(family, @case, rule, error, FiniteDifference.Tolerance, failed.Count == 0,
            string.Join("; ", failed.Select(r => $"{r.Check}: {r.MaxError:0.00e+00} {r.Detail}")));
    }
}
