using FsCheck;
using FsCheck.Fluent;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Checking;
using Xunit.Abstractions;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace LeanMlirVerify.FiniteDifference.Vjp.Checking;

/// <summary>
/// Copies of real backwards with one deliberate defect each. The harness that passes the real rules must report
/// every mutant failing, and each check family — book-style FD (Jacobian or cotangent), FsCheck properties at random
/// shapes, and the adjoint test — is seen to fail.
/// </summary>
public class MutationTests(ITestOutputHelper output)
{
    /// <summary>ReLU that lets the cotangent through everywhere (derivative 1 on the negative side).</summary>
    static HasVjp<Vec, Vec> ReluPassThroughMutant() =>
        new Elementwise<Vec>("relu_has_vjp", "relu (mutant: f′ = 1)", x => x.relu(), (x, _) => ones_like(x));

    /// <summary>BN normalize whose pullback drops the mean term: dx = (s/N)(N·g − x̂·Σ(x̂·g)).</summary>
    sealed class BnWithoutMeanTermMutant() : HasVjp<Tensor3, Tensor3>("bnNormalize_has_vjp", "bn normalize (mutant: no −Σg)")
    {
        protected override (Tensor3 y, Pullback<Tensor3, Tensor3> pullback) Run(Tensor3 x)
        {
            long[] dims = [0, 2, 3];
            var n = x.T.numel() / x.T.shape[1];
            var centered = x.T - x.T.mean(dims, keepdim: true);
            var s = centered.Square().mean(dims, keepdim: true).Add(1e-5).rsqrt();
            var xhat = centered * s;
            return (new Tensor3(xhat), dy =>
                new Tensor3(s.Div(n) * (dy.T.Mul(n) - xhat * (xhat * dy.T).sum(dims, keepdim: true))));
        }
    }

    /// <summary>Stride-1 SAME conv (odd k) whose input cotangent correlates dy with the kernel NOT flipped.</summary>
    sealed class ConvUnflippedKernelMutant : HasVjp<Tensor3, Tensor3>
    {
        readonly Parameter w;

        public ConvUnflippedKernelMutant(Tensor w) : base("conv2d_has_vjp3", "conv (mutant: kernel not flipped)") =>
            this.w = Own(new Parameter("W", "conv2d_weight_grad_has_vjp", w));

        protected override (Tensor3 y, Pullback<Tensor3, Tensor3> pullback) Run(Tensor3 x)
        {
            var p = (w.Value.shape[2] - 1) / 2;
            return (new Tensor3(F.conv2d(x.T, w.Value, padding: [p, p])), dy =>
            {
                w.Accumulate(zeros_like(w.Value), Culprit);
                return new Tensor3(F.conv2d(dy.T, w.Value.transpose(0, 1), padding: [p, p]));
            });
        }
    }


    CheckResult Adjoint(CheckCase c, Init init) => VjpCheck.Adjoint(c, init.Point(c.X.shape), init.Point(c.Forward(c.X).shape));

    [Fact]
    public void DenseBiasMeanMutant_IsReportedFailingByTheCotangentCheck()
    {
        using var scope = NewDisposeScope();
        var init = Init.Float64Cpu(11);
        var c = CheckCase.Of(new DenseBiasMeanMutant(init.Point(4, 3), init.Point(3)), init.Point(2, 4));
        FdAssert.Fails(output, VjpCheck.Cotangent(c, init.Point(2, 3)));
    }

    [Fact]
    public void ReluPassThroughMutant_IsReportedFailingByJacobianPropertyAndAdjointChecks()
    {
        using var scope = NewDisposeScope();
        var init = Init.Float64Cpu(12);
        var c = CheckCase.Of(ReluPassThroughMutant(), init.AwayFrom([0], 0.1, 1, 3, 5));
        FdAssert.Fails(output, [VjpCheck.Jacobian(c)]);
        FdAssert.Fails(output, [Adjoint(c, init)]);
        FdAssert.PropertyIsFalsified(output, i => CheckCase.Of(ReluPassThroughMutant(), i.AwayFrom([0], 0.1, 1, i.Int(1, 3), i.Int(2, 6))));
    }

    [Fact]
    public void BnWithoutMeanTermMutant_IsReportedFailingByBookPropertyAndAdjointChecks()
    {
        using var scope = NewDisposeScope();
        var init = Init.Float64Cpu(13);
        // The book's pdiv_bnNormalize shape: n = 5 as one channel of five samples.
        FdAssert.Fails(output,
            [VjpCheck.Jacobian(CheckCase.Of(new BnWithoutMeanTermMutant(), init.Point(5, 1, 1, 1)), "pdiv_bnNormalize")]);
        FdAssert.Fails(output, [Adjoint(CheckCase.Of(new BnWithoutMeanTermMutant(), init.Point(2, 8, 14, 14)), init)]);
        FdAssert.PropertyIsFalsified(output,
            i => CheckCase.Of(new BnWithoutMeanTermMutant(), i.Point(i.Int(2, 3), i.Int(1, 4), i.Int(2, 5), i.Int(2, 5))));
    }

    [Fact]
    public void ConvUnflippedKernelMutant_IsReportedFailingByBookPropertyAndAdjointChecks()
    {
        using var scope = NewDisposeScope();
        var init = Init.Float64Cpu(14);
        // The book's conv2d_input_grad sizes: ic = 2, oc = 3, 6×6, k = 3.
        var book = CheckCase.Of(new ConvUnflippedKernelMutant(init.Point(3, 2, 3, 3)), init.Point(1, 2, 6, 6));
        FdAssert.Fails(output, VjpCheck.Cotangent(book, init.Point(1, 3, 6, 6), "conv2d_input_grad", parameters: false));
        var large = CheckCase.Of(new ConvUnflippedKernelMutant(init.Point(16, 16, 3, 3)), init.Point(2, 16, 28, 28));
        FdAssert.Fails(output, [Adjoint(large, init)]);
        FdAssert.PropertyIsFalsified(output, i =>
        {
            long c = i.Int(1, 3), o = i.Int(1, 3), k = 2 * i.Int(1, 2) + 1;
            return CheckCase.Of(new ConvUnflippedKernelMutant(i.Point(o, c, k, k)), i.Point(i.Int(1, 2), c, i.Int(3, 6), i.Int(3, 6)));
        });
    }
}
