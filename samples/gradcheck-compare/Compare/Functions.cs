using LeanMlirVerify.Vjp.Algebra; // ScalarOps: x.Mul(c), x.RSub(c), x.Ge(c), with each Scalar alive for the whole call
using TorchSharp;
using static TorchSharp.torch;

namespace LeanMlirVerify.Samples.CustomFunctions;

// Custom autograd functions (TorchSharp's torch.autograd.SingleTensorFunction<T>), the user code a gradient check exists
// for: each computes its forward without autograd and supplies a hand-written backward. Correct ones, and copies with one
// deliberate defect each (the negative cases). One source for two builds: the comparison with ../compare.py (same
// forwards, backwards and defects) compiles it from the packages, and tests/FiniteDifference links it for GradCheck's tests.

/// <summary>Arguments of a custom function's forward, which TorchSharp passes as objects.</summary>
static class Args
{
    public static Tensor At(object[] vars, int i) =>
        vars[i] as Tensor
        ?? throw new ArgumentException($"argument {i} of the forward is {vars[i]?.GetType().Name ?? "null"}, not a Tensor");
}

/// <summary>x², backward 2x·dy (written in tensor ops, so its own derivative is right too).</summary>
sealed class Square : autograd.SingleTensorFunction<Square>
{
    public override string Name => nameof(Square);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = Args.At(vars, 0);
        ctx.save_for_backward([x]);
        return x * x;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output) =>
        [grad_output * ctx.get_saved_variables()[0].Mul(2)];
}

/// <summary>x², backward right everywhere but at flat element 7, where it is 1 % too large.</summary>
sealed class SquareWrongAtOneElement : autograd.SingleTensorFunction<SquareWrongAtOneElement>
{
    public const int WrongElement = 7;

    public override string Name => nameof(SquareWrongAtOneElement);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = Args.At(vars, 0);
        ctx.save_for_backward([x]);
        return x * x;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var x = ctx.get_saved_variables()[0];
        var factor = new double[x.numel()];
        Array.Fill(factor, 1.0);
        factor[WrongElement] = 1.01;
        using var scale = tensor(factor, x.shape, ScalarType.Float64).to(x.dtype);
        return [grad_output * x.Mul(2) * scale];
    }
}

/// <summary>tanh, backward (1 − y²)·dy scaled by 1.001: a gradient 0.1 % off everywhere.</summary>
sealed class TanhScaledBy1001 : autograd.SingleTensorFunction<TanhScaledBy1001>
{
    public override string Name => nameof(TanhScaledBy1001);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var y = Args.At(vars, 0).tanh();
        ctx.save_for_backward([y]);
        return y;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var y = ctx.get_saved_variables()[0];
        return [(grad_output * (y * y).RSub(1)).Mul(1.001)];
    }
}

/// <summary>a·b², backward (b²·dy, 2ab·dy) — or, with the defect, ab·dy for b (the factor 2 forgotten): wrong for b only.</summary>
abstract class TimesSquareBase<T> : autograd.SingleTensorFunction<T> where T : TimesSquareBase<T>, new()
{
    protected abstract double BFactor { get; }

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (a, b) = (Args.At(vars, 0), Args.At(vars, 1));
        ctx.save_for_backward([a, b]);
        return a * b * b;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var saved = ctx.get_saved_variables();
        var (a, b) = (saved[0], saved[1]);
        return [grad_output * b * b, (grad_output * a * b).Mul(BFactor)];
    }
}

sealed class TimesSquare : TimesSquareBase<TimesSquare>
{
    public override string Name => nameof(TimesSquare);
    protected override double BFactor => 2;
}

sealed class TimesSquareForgetsTwo : TimesSquareBase<TimesSquareForgetsTwo>
{
    public override string Name => nameof(TimesSquareForgetsTwo);
    protected override double BFactor => 1;
}

/// <summary>x³, backward 3x²·dy; with the defect one factor x is detached, so the backward's own derivative is half of 6x.</summary>
abstract class CubeBase<T> : autograd.SingleTensorFunction<T> where T : CubeBase<T>, new()
{
    protected abstract bool DetachOneFactor { get; }

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = Args.At(vars, 0);
        ctx.save_for_backward([x]);
        return x * x * x;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var x = ctx.get_saved_variables()[0];
        return [(grad_output * x * (DetachOneFactor ? x.detach() : x)).Mul(3)];
    }
}

sealed class Cube : CubeBase<Cube>
{
    public override string Name => nameof(Cube);
    protected override bool DetachOneFactor => false;
}

sealed class CubeWithDetachedFactor : CubeBase<CubeWithDetachedFactor>
{
    public override string Name => nameof(CubeWithDetachedFactor);
    protected override bool DetachOneFactor => true;
}

/// <summary>x², backward 2x·dy plus normal noise of standard deviation <see cref="Noise"/> (an atomics-style non-determinism).</summary>
sealed class NoisySquare : autograd.SingleTensorFunction<NoisySquare>
{
    public static double Noise { get; set; } = 1e-6;

    public override string Name => nameof(NoisySquare);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = Args.At(vars, 0);
        ctx.save_for_backward([x]);
        return x * x;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output) =>
        [(grad_output * ctx.get_saved_variables()[0].Mul(2)).Add(randn_like(grad_output).Mul(Noise))];
}

/// <summary>y = x·Wᵀ (nn.Linear's layout); the backward's weight gradient is 1 % too large.</summary>
sealed class LinearWrongWeight : autograd.SingleTensorFunction<LinearWrongWeight>
{
    public override string Name => nameof(LinearWrongWeight);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (x, w) = (Args.At(vars, 0), Args.At(vars, 1));
        ctx.save_for_backward([x, w]);
        return matmul(x, w.t());
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var saved = ctx.get_saved_variables();
        return [matmul(grad_output, saved[1]), matmul(grad_output.t(), saved[0]).Mul(1.01)];
    }
}

/// <summary>A module whose forward is <see cref="LinearWrongWeight"/>: its "weight" gradient is wrong, its input gradient right.</summary>
sealed class WrongLinear : nn.Module<Tensor, Tensor>
{
    readonly TorchSharp.Modules.Parameter weight;

    public WrongLinear(Tensor w) : base(nameof(WrongLinear))
    {
        weight = new TorchSharp.Modules.Parameter(w.clone());
        register_parameter("weight", weight);
    }

    public override Tensor forward(Tensor x) => LinearWrongWeight.apply(x, weight);
}

/// <summary>(sin x, cos x) as two outputs (TorchSharp's MultiTensorFunction); backward dx = g₀·cos x − g₁·sin x.</summary>
sealed class SinCos : autograd.MultiTensorFunction<SinCos>
{
    public override string Name => nameof(SinCos);

    public override List<Tensor> forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = Args.At(vars, 0);
        ctx.save_for_backward([x]);
        return [x.sin(), x.cos()];
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, List<Tensor> grad_outputs)
    {
        var x = ctx.get_saved_variables()[0];
        return [grad_outputs[0] * x.cos() - grad_outputs[1] * x.sin()];
    }
}

/// <summary>a·b²·c; with the defect, b's gradient forgets the factor 2 (a's and c's are right).</summary>
abstract class TimesSquareTimesBase<T> : autograd.SingleTensorFunction<T> where T : TimesSquareTimesBase<T>, new()
{
    protected abstract double BFactor { get; }

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (a, b, c) = (Args.At(vars, 0), Args.At(vars, 1), Args.At(vars, 2));
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

/// <summary>ReLU whose backward claims ReLU′(0) = 1 (x ≥ 0), not the convention ReLU′(0) = 0.</summary>
sealed class ReluOneAtZero : autograd.SingleTensorFunction<ReluOneAtZero>
{
    public override string Name => nameof(ReluOneAtZero);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = Args.At(vars, 0);
        ctx.save_for_backward([x]);
        return x.relu();
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        using var nonNegative = ctx.get_saved_variables()[0].Ge(0);
        return [grad_output * nonNegative.to(grad_output.dtype)];
    }
}
