using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using static LeanMlirVerify.FiniteDifference.Vjp.KernelVsMath.KernelMath;
using static TorchSharp.torch;

namespace LeanMlirVerify.FiniteDifference.Vjp.KernelVsMath;

/// <summary>Compositions (residual 51, SE 56): the src/Vjp block against the catalog's closed form, at a batch.</summary>
public class BlockKernelVsMathTests
{
    /// <summary>Catalog dense W [fanIn, fanOut] as the 1×1 conv kernel [fanOut, fanIn, 1, 1] the blocks use.</summary>
    static Tensor AsConv1x1(Tensor w) => w.t().contiguous().view(w.shape[1], w.shape[0], 1, 1);

    static double[] Dx(HasVjp<Tensor3, Tensor3> rule, Tensor x, Tensor dy) =>
        Values(rule.Forward(new Tensor3(x)).pullback(new Tensor3(dy.reshape(x.shape))).T);

    static readonly Batching XDy = Batching.Of("x", "dy");

    // The catalog's residual is x + tanh(x·W + b) on a vector of n: here n channels of 1×1 through Blocks.Residual.
    [Fact, Evidence(ItemId.residual_has_vjp, EvidenceKind.KernelVsMath)]
    public void ResidualHasVjp_KernelEqualsClosedForm() => AssertAll(ItemId.residual_has_vjp, XDy, (p, k) =>
    {
        long n = k + 2;
        var main = new Conv2d(AsConv1x1(p.Get("W", n, n)), p.Get("b", n), 1)
            .Then(new Elementwise<Tensor3>(ItemId.residual_has_vjp, "tanh", t => t.tanh(), (_, y) => (y * y).RSub(1)));
        return Dx(Blocks.Residual(main), p.Stack("x", n, 1, 1), p.Stack("dy", n));
    });

    // The catalog's SE: pool → dense W1 [c, r] → ReLU → dense W2 [r, c] → sigmoid gate, x ⊙ gate. Blocks.SqueezeExcite
    // with ("relu", "sigmoid") is that structure with the denses as 1×1 convs; its parameters are set to the point.
    static readonly (long c, long h, long w, long r)[] SeSizes = [(2, 2, 2, 1), (3, 1, 2, 2)];

    [Fact, Evidence(ItemId.seBlock_has_vjp, EvidenceKind.KernelVsMath)]
    public void SeBlockHasVjp_KernelEqualsClosedForm() => AssertAll(ItemId.seBlock_has_vjp, XDy, (p, k) =>
    {
        var (c, h, w, r) = SeSizes[k];
        var se = Blocks.SqueezeExcite(c, r, "relu", "sigmoid", Init.Float64Cpu(1));
        var values = new Dictionary<string, Tensor>
        {
            ["se.reduce.W"] = AsConv1x1(p.Get("W1", c, r)), ["se.reduce.b"] = p.Get("b1", r),
            ["se.expand.W"] = AsConv1x1(p.Get("W2", r, c)), ["se.expand.b"] = p.Get("b2", c),
        };
        var parameters = se.Parameters.ToList();
        Assert.Equal(values.Keys.Order(), parameters.Select(q => q.Name).Order());
        using (no_grad())
            foreach (var q in parameters) q.Value.copy_(values[q.Name]);
        return Dx(se, p.Stack("x", c, h, w), p.Stack("dy", c * h * w));
    });
}
