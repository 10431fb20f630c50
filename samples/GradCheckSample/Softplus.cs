using LeanMlirVerify.Vjp.Algebra; // ScalarOps: x.Gt(c), with the Scalar alive for the whole native call
using TorchSharp;
using static TorchSharp.torch;

namespace GradCheckSample;

/// <summary>
/// softplus(x) = log(1 + eˣ), and x itself above <see cref="Threshold"/> (where the two agree to float64 precision and
/// eˣ would soon overflow): the usual stable form, as a custom autograd function with a hand-written backward.
/// </summary>
sealed class Softplus : autograd.SingleTensorFunction<Softplus>
{
    public const double Threshold = 20;

    public override string Name => nameof(Softplus);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = vars[0] as Tensor ?? throw new ArgumentException("Softplus takes one tensor");
        ctx.save_for_backward([x]);
        using var linear = x.Gt(Threshold);
        return where(linear, x, x.exp().log1p());
    }

    /// <summary>softplus′ = sigmoid on both branches (sigmoid(x) is 1 to float64 precision above the threshold).</summary>
    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output) =>
        [grad_output * ctx.get_saved_variables()[0].sigmoid()];
}

/// <summary>
/// The same forward, with a plausible bug in the backward: the linear branch is treated like a saturated unit and gets
/// slope 0 instead of 1. Right everywhere except where x &gt; <see cref="Softplus.Threshold"/>.
/// </summary>
sealed class SoftplusZeroSlopeAboveThreshold : autograd.SingleTensorFunction<SoftplusZeroSlopeAboveThreshold>
{
    public override string Name => nameof(SoftplusZeroSlopeAboveThreshold);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = vars[0] as Tensor ?? throw new ArgumentException("SoftplusZeroSlopeAboveThreshold takes one tensor");
        ctx.save_for_backward([x]);
        using var linear = x.Gt(Softplus.Threshold);
        return where(linear, x, x.exp().log1p());
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var x = ctx.get_saved_variables()[0];
        using var linear = x.Gt(Softplus.Threshold);
        return [grad_output * where(linear, zeros_like(x), x.sigmoid())];
    }
}
