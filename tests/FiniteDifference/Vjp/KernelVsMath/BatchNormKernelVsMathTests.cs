using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using static LeanMlirVerify.FiniteDifference.Vjp.KernelVsMath.KernelMath;
using static TorchSharp.torch;

namespace LeanMlirVerify.FiniteDifference.Vjp.KernelVsMath;

/// <summary>
/// The BN pieces (44–46, 48–50). BN's samples are not independent: its statistics run over the batch too. So the
/// catalog's vector of n entries is one channel spread over a batch, [B, 1, 1, n/B] with B > 1 (n = 3 → 3×1, 4 → 2×2,
/// 5 → 5×1), and the closed form of the whole channel is compared once: a kernel that took its statistics over H·W only
/// (or over one image) differs. γ and β are [1].
/// </summary>
public class BatchNormKernelVsMathTests
{
    static readonly Batching Channel = Batching.Of();

    /// <summary>The channel of n entries as a batch: [B, 1, 1, n/B], B the smallest divisor of n above 1.</summary>
    static Tensor AsBatch(Point p, string name, long n)
    {
        long b = Enumerable.Range(2, (int)n - 1).First(d => n % d == 0);
        return p.Get(name, b, 1, 1, n / b);
    }

    static Tensor Pull(HasVjp<Tensor3, Tensor3> rule, Tensor x, Tensor dy) =>
        rule.Forward(new Tensor3(x)).pullback(new Tensor3(dy.reshape(x.shape))).T;

    /// <summary>The channel's Jacobian from unit cotangents, J[i·n + j] = (pullback of e_j)_i.</summary>
    static double[] JacobianOf(Func<HasVjp<Tensor3, Tensor3>> rule, Tensor x)
    {
        int n = (int)x.numel();
        var cols = Enumerable.Range(0, n).Select(j =>
        {
            var unit = new double[n];
            unit[j] = 1;
            return Values(Pull(rule(), x, tensor(unit, float64)));
        }).ToArray();
        return [.. Enumerable.Range(0, n).SelectMany(i => Enumerable.Range(0, n).Select(j => cols[j][i]))];
    }

    static BnAffine Affine(Point p) => new(p.Get("γ", 1), p.Get("β", 1));

    static double AssertChannel(string item, KernelMath.Kernel kernel) => AssertAll(item, Channel, kernel, batch: 1);

    [Fact, Evidence(ItemId.pdiv_bnAffine, EvidenceKind.KernelVsMath)]
    public void PdivBnAffine_KernelEqualsClosedForm() => AssertChannel(ItemId.pdiv_bnAffine,
        (p, k) => JacobianOf(() => Affine(p), AsBatch(p, "v", k == 0 ? 3 : 5)));

    [Fact, Evidence(ItemId.pdiv_bnCentered, EvidenceKind.KernelVsMath)]
    public void PdivBnCentered_KernelEqualsClosedForm() =>
        AssertChannel(ItemId.pdiv_bnCentered, (p, k) => JacobianOf(() => new BnCentered(), AsBatch(p, "x", k == 0 ? 3 : 5)));

    [Fact, Evidence(ItemId.pdiv_bnIstdBroadcast, EvidenceKind.KernelVsMath)]
    public void PdivBnIstdBroadcast_KernelEqualsClosedForm() =>
        AssertChannel(ItemId.pdiv_bnIstdBroadcast, (p, k) => JacobianOf(() => new BnIstdBroadcast(), AsBatch(p, "x", k == 0 ? 3 : 4)));

    [Fact, Evidence(ItemId.bnIstdBroadcast_diff, EvidenceKind.KernelVsMath)]
    public void BnIstdBroadcastDiff_KernelEqualsClosedForm() =>
        AssertChannel(ItemId.bnIstdBroadcast_diff, (p, k) => JacobianOf(() => new BnIstdBroadcast(), AsBatch(p, "x", k == 0 ? 3 : 4)));

    static double[] NormalizeVjp(HasVjp<Tensor3, Tensor3> rule, Point p, long n) =>
        Values(Pull(rule, AsBatch(p, "x", n), p.Get("dy", n)));

    [Fact, Evidence(ItemId.bnNormalize_has_vjp, EvidenceKind.KernelVsMath)]
    public void BnNormalizeHasVjp_KernelEqualsClosedForm() =>
        AssertChannel(ItemId.bnNormalize_has_vjp, (p, k) => NormalizeVjp(new BnNormalize(1), p, k == 0 ? 3 : 5));

    [Fact, Evidence(ItemId.bnAffine_has_vjp, EvidenceKind.KernelVsMath)]
    public void BnAffineHasVjp_KernelEqualsClosedForm() => AssertChannel(ItemId.bnAffine_has_vjp, (p, k) =>
    {
        long n = k == 0 ? 3 : 4;
        var rule = Affine(p);
        var dv = Pull(rule, AsBatch(p, "v", n), p.Get("dy", n));
        return [.. Values(dv), .. Values(rule.Gamma.Grad), .. Values(rule.Beta.Grad)];
    });

    // Every strategy (Auto is the one training runs, libtorch's native kernel; the others are forced); dγ, dβ: FD,
    // oracle, mutants.
    [Theory, Evidence(ItemId.bn_has_vjp, EvidenceKind.KernelVsMath)]
    [InlineData(BnStrategy.Auto)]
    [InlineData(BnStrategy.Composed)]
    [InlineData(BnStrategy.Fused)]
    [InlineData(BnStrategy.Native)]
    public void BnHasVjp_KernelEqualsClosedForm(BnStrategy strategy) =>
        AssertChannel(ItemId.bn_has_vjp, (p, k) =>
            NormalizeVjp(new BatchNorm(p.Get("γ", 1), p.Get("β", 1), strategy: strategy), p, k == 0 ? 3 : 4));

    /// <summary>
    /// The float32 bound on |kernel − closed| / max(1, |closed|) for BN's dx against the float64 closed form: 2⁻²⁴·64. The
    /// float32 inputs alone are off by 2⁻²⁴ relative, and dx = (γ·s/N)·(N·dy − Σdy − x̂·Σx̂·dy) magnifies that by
    /// about s·|x| and the cancellation in its three terms (x̂ of order 1 at N ≤ 4): measured 1.07e-7 ≈ 2⁻²⁴·1.8 (Native and
    /// Fused alike), so the bound leaves a factor 35 for other points and machines. ε = 1e-3 for 1e-5 (Keras's default
    /// for PyTorch's) moves dx by ~1e-3: the negative case below.
    /// </summary>
    const double Float32Bound = 64.0 / (1 << 24);

    static double[] BnVjp32(Point p, long n, Func<Tensor, Tensor, Tensor, Tensor, Tensor> pullback)
    {
        var x = AsBatch(p, "x", n).to_type(ScalarType.Float32);
        var dy = p.Get("dy", n).to_type(ScalarType.Float32).reshape(x.shape);
        return Values(pullback(x, dy, p.Get("γ", 1).to_type(ScalarType.Float32), p.Get("β", 1).to_type(ScalarType.Float32)));
    }

    // float32, the precision training runs in: the native kernel (what Auto runs) and the fused form it replaced, each
    // against the float64 closed form.
    [Theory, Evidence(ItemId.bn_has_vjp, EvidenceKind.KernelVsMath)]
    [InlineData(BnStrategy.Native)]
    [InlineData(BnStrategy.Fused)]
    public void BnHasVjp_KernelInFloat32_EqualsClosedFormToFloat32Rounding(BnStrategy strategy) =>
        AssertAll(ItemId.bn_has_vjp, Channel, (p, k) => BnVjp32(p, k == 0 ? 3 : 4,
            (x, dy, gamma, beta) => Pull(new BatchNorm(gamma, beta, strategy: strategy), x, dy)), batch: 1, tolerance: Float32Bound);

    // ---- negative case: BN without the mean term must be reported, naming the entry and the worst index ----
    [Fact]
    public void BnWithoutMeanTerm_IsReportedDiffering()
    {
        var r = Compare(ItemId.bnNormalize_has_vjp, 0, Channel, (p, _) => NormalizeVjp(new BnNormalizeNoMean(), p, 3), batch: 1);
        Assert.True(r.MaxRelative > 1e-3, $"the mutant was not caught: {r}");
        var ex = Assert.Throws<Xunit.Sdk.TrueException>(() =>
            AssertChannel(ItemId.bnNormalize_has_vjp, (p, k) => NormalizeVjp(new BnNormalizeNoMean(), p, k == 0 ? 3 : 5)));
        Assert.Contains(ItemId.bnNormalize_has_vjp, ex.Message);
        Assert.Contains($"at index {r.WorstIndex}", ex.Message);
    }

    // ---- negative case in float32: the native kernels called with Keras's ε = 1e-3 must exceed the float32 bound ----
    [Fact]
    public void NativeKernelWithKerasEpsilon_IsReportedDifferingInFloat32()
    {
        const double kerasEpsilon = 1e-3;
        var ex = Assert.Throws<Xunit.Sdk.TrueException>(() => AssertAll(ItemId.bn_has_vjp, Channel, (p, k) => BnVjp32(p, k == 0 ? 3 : 4,
            (x, dy, gamma, beta) =>
            {
                var (_, mean, invStd) = NativeKernels.BatchNorm(x, gamma, beta, kerasEpsilon);
                return NativeKernels.BatchNormBackward(dy, x, gamma, mean, invStd, kerasEpsilon).Dx;
            }), batch: 1, tolerance: Float32Bound));
        Assert.Contains(ItemId.bn_has_vjp, ex.Message);
        Assert.Contains("differs from the closed form", ex.Message);
    }
}
