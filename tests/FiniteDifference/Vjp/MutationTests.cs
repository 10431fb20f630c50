using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Catalog;
using LeanMlirVerify.Vjp.Checking;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace LeanMlirVerify.FiniteDifference.Vjp;

/// <summary>
/// Copies of real backwards with one deliberate defect each. The same harness that passes the real rules must
/// report these failing: each check family (book-style Jacobian, VJP at random shapes, adjoint) is seen to fail.
/// </summary>
public class MutationTests(ITestOutputHelper output)
{
    /// <summary>Dense whose bias cotangent averages over the batch instead of summing.</summary>
    sealed class DenseBiasMeanMutant(Tensor w, Tensor b) : HasVjp<Vec, Vec>("dense_has_vjp", "dense (mutant: db = mean dy)")
    {
        readonly Parameter W = new("W", "dense_weight_grad_correct", w);
        readonly Parameter B = new("b", "dense_bias_grad_correct", b);
        public IReadOnlyList<Parameter> Params => [W, B];

        protected override (Vec y, Pullback<Vec, Vec> pullback) Run(Vec x) =>
            (new Vec(addmm(B.Value, x.T, W.Value, 1, 1)), dy =>
            {
                W.Accumulate(matmul(x.T.t(), dy.T), Culprit);
                B.Accumulate(dy.T.mean([0L]), Culprit);
                return new Vec(matmul(dy.T, W.Value.t()));
            });
    }

    /// <summary>ReLU that lets the cotangent through everywhere (derivative 1 on the negative side).</summary>
    static HasVjp<Vec, Vec> ReluPassThroughMutant() =>
        new Elementwise<Vec>("relu_has_vjp", "relu (mutant: f′ = 1)", x => x.relu(), (x, _) => ones_like(x));

    [Fact]
    public void DenseBiasMeanMutant_IsReportedFailingByTheCotangentCheck()
    {
        using var scope = NewDisposeScope();
        var init = Init.Float64Cpu(11);
        var mutant = new DenseBiasMeanMutant(init.Point(4, 3), init.Point(3));
        var c = CheckCase.Of(mutant, init.Point(2, 4));
        c = new CheckCase { Rule = c.Rule, Item = c.Item, Sizes = c.Sizes, X = c.X, Forward = c.Forward, Pullback = c.Pullback, Parameters = mutant.Params };
        FdAssert.Fails(output, VjpCheck.Cotangent(c, init.Point(2, 3)));
    }

    [Fact]
    public void ReluPassThroughMutant_IsReportedFailingByJacobianCotangentAndAdjointChecks()
    {
        using var scope = NewDisposeScope();
        var init = Init.Float64Cpu(12);
        var c = CheckCase.Of(ReluPassThroughMutant(), init.AwayFrom(0, 0.1, 3, 5));
        FdAssert.Fails(output, [VjpCheck.Jacobian(c)]);
        FdAssert.Fails(output, VjpCheck.Cotangent(c, init.Point(3, 5)));
        FdAssert.Fails(output, [VjpCheck.Adjoint(c, init.Point(3, 5), init.Point(3, 5))]);
    }
}
