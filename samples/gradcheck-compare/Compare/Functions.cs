using LeanMlirVerify.Vjp.Algebra; // ScalarOps: x.Mul(c), x.RSub(c), x.Ge(c), with each Scalar alive for the whole call
using TorchSharp;
using static TorchSharp.torch;

namespace Compare;

// The custom autograd functions of ../compare.py, with the same forwards, backwards and defects.

static class Arg
{
    public static Tensor At(object[] vars, int i) =>
        vars[i] as Tensor ?? throw new ArgumentException($"argument {i} is {vars[i]?.GetType().Name ?? "null"}, not a Tensor");
}

/// <summary>x², backward 2x·dy.</summary>
sealed class Square : autograd.SingleTensorFunction<Square>
{
    public override string Name => nameof(Square);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = Arg.At(vars, 0);
        ctx.save_for_backward([x]);
        return x * x;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output) =>
        [grad_output * ctx.get_saved_variables()[0].Mul(2)];
}

/// <summary>x², backward 1 % too large at flat element 7 only.</summary>
sealed class SquareWrongAtOneElement : autograd.SingleTensorFunction<SquareWrongAtOneElement>
{
    public override string Name => nameof(SquareWrongAtOneElement);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = Arg.At(vars, 0);
        ctx.save_for_backward([x]);
        return x * x;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var x = ctx.get_saved_variables()[0];
        var factor = new double[x.numel()];
        Array.Fill(factor, 1.0);
        factor[7] = 1.01;
        using var scale = tensor(factor, x.shape, ScalarType.Float64).to(x.dtype);
        return [grad_output * x.Mul(2) * scale];
    }
}

/// <summary>a·b²·c; with the defect, b's gradient forgets the factor 2 (a's and c's are right).</summary>
abstract class TimesSquareTimesBase<T> : autograd.SingleTensorFunction<T> where T : TimesSquareTimesBase<T>, new()
{
    protected abstract double BFactor { get; }

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (a, b, c) = (Arg.At(vars, 0), Arg.At(vars, 1), Arg.At(vars, 2));
        ctx.save_for_backward([a, b, c]);
        return a * b * b * c;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var s = ctx.get_saved_variables();
        var (a, b, c) = (s[0], s[1], s[2]);
        return [grad_output * b * b * c, (grad_output * a * b * c).Mul(BFactor), grad_output * a * b * b];
    }
}

sealed class TimesSquareTimesForgetsTwo : TimesSquareTimesBase<TimesSquareTimesForgetsTwo>
{
    public override string Name => nameof(TimesSquareTimesForgetsTwo);
    protected override double BFactor => 1;
}

/// <summary>tanh, backward (1 − y²)·dy·1.001: 0.1 % off everywhere.</summary>
sealed class TanhScaledBy1001 : autograd.SingleTensorFunction<TanhScaledBy1001>
{
    public override string Name => nameof(TanhScaledBy1001);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var y = Arg.At(vars, 0).tanh();
        ctx.save_for_backward([y]);
        return y;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var y = ctx.get_saved_variables()[0];
        return [(grad_output * (y * y).RSub(1)).Mul(1.001)];
    }
}

/// <summary>x³, backward 3x²·dy with one factor x detached: right at first order, its own derivative half of 6x·dy.</summary>
sealed class CubeWithDetachedFactor : autograd.SingleTensorFunction<CubeWithDetachedFactor>
{
    public override string Name => nameof(CubeWithDetachedFactor);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = Arg.At(vars, 0);
        ctx.save_for_backward([x]);
        return x * x * x;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var x = ctx.get_saved_variables()[0];
        return [(grad_output * x * x.detach()).Mul(3)];
    }
}

/// <summary>ReLU whose backward claims ReLU′(0) = 1 (x ≥ 0), not the convention ReLU′(0) = 0.</summary>
sealed class ReluOneAtZero : autograd.SingleTensorFunction<ReluOneAtZero>
{
    public override string Name => nameof(ReluOneAtZero);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = Arg.At(vars, 0);
        ctx.save_for_backward([x]);
        return x.relu();
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        using var nonNegative = ctx.get_saved_variables()[0].Ge(0);
        return [grad_output * nonNegative.to(grad_output.dtype)];
    }
}
