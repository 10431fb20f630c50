using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Vjp.Algebra;
using TorchSharp;
using static TorchSharp.torch;

namespace LeanMlirVerify.Training.Optim;

/// <summary>
/// An optimizer over named parameter tensors (training facts §4.9), updating them in place under <c>no_grad</c>.
/// <see cref="Step"/> is the global step t (1 after the first update) that drives Adam's bias correction. Decoupled
/// weight decay − wd·lr·w uses the pre-update weight and applies to kernel tensors only.
/// </summary>
public abstract class Optimizer : IDisposable
{
    protected Optimizer(IReadOnlyList<NetParameter> parameters, double weightDecay)
    {
        Parameters = parameters;
        WeightDecay = weightDecay;
    }

    public IReadOnlyList<NetParameter> Parameters { get; }
    public double WeightDecay { get; }
    public long Step { get; private set; }

    /// <summary>Optimizer buffers by name ("&lt;param&gt;.m", "&lt;param&gt;.v"), same shapes as the parameters, for checkpoints.</summary>
    public abstract IReadOnlyList<(string Name, Tensor Buffer)> State { get; }

    /// <summary>Restores the step counter after the buffers were copied back from a checkpoint.</summary>
    public void RestoreStep(long step) => Step = step;

    /// <summary>One update with learning rate <paramref name="lr"/>; <paramref name="grads"/> align with <see
    /// cref="Parameters"/>.</summary>
    public void Apply(IReadOnlyList<Tensor> grads, double lr)
    {
        if (grads.Count != Parameters.Count)
            throw new ArgumentException($"{grads.Count} gradients for {Parameters.Count} parameters");
        using var noGrad = no_grad();
        Step++;
        for (int i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i];
            if (!grads[i].shape.SequenceEqual(p.Value.shape))
                throw new ArgumentException(
                    $"gradient of {p.Name} has shape [{string.Join(", ", grads[i].shape)}], the parameter "
                    + $"[{string.Join(", ", p.Value.shape)}]");
            using var scope = NewDisposeScope();
            var decay = WeightDecay > 0 && p.Info.IsDecayed ? p.Value.Mul(WeightDecay * lr) : null;
            Update(i, p.Value, grads[i], lr);
            if (decay is not null) p.Value.sub_(decay);
        }
    }

    protected abstract void Update(int index, Tensor w, Tensor g, double lr);

    public static Optimizer For(TrainConfig config, IReadOnlyList<NetParameter> parameters) =>
        config.UseAdam ? new AdamW(parameters, config.WeightDecay) : new SgdMomentum(parameters, config.Momentum, config.WeightDecay);

    protected static Tensor[] ZerosLike(IReadOnlyList<NetParameter> parameters) =>
        parameters.Select(p => zeros_like(p.Value).DetachFromDisposeScope()).ToArray();

    public virtual void Dispose()
    {
        foreach (var (_, buffer) in State) buffer.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>Adam with β1 0.9, β2 0.999, ε 1e-8 and bias correction by the global step; decay decoupled (AdamW).</summary>
public sealed class AdamW(IReadOnlyList<NetParameter> parameters, double weightDecay) : Optimizer(parameters, weightDecay)
{
    public const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;

    readonly Tensor[] m = ZerosLike(parameters), v = ZerosLike(parameters);

    public override IReadOnlyList<(string Name, Tensor Buffer)> State =>
        [.. Parameters.Select((p, i) => (p.Name + ".m", m[i])), .. Parameters.Select((p, i) => (p.Name + ".v", v[i]))];

    protected override void Update(int i, Tensor w, Tensor g, double lr)
    {
        m[i].MulInPlace(Beta1).AddInPlace(g, 1 - Beta1);
        v[i].MulInPlace(Beta2).AddcmulInPlace(g, g, 1 - Beta2);
        var mHat = m[i].Div(1 - Math.Pow(Beta1, Step));
        var vHat = v[i].Div(1 - Math.Pow(Beta2, Step));
        w.sub_(mHat.MulInPlace(lr).div_(vHat.sqrt_().AddInPlace(Epsilon)));
    }
}

/// <summary>
/// SGD with heavy-ball momentum: u ← μ·u + g, w ← w − lr·u. μ comes from <see cref="TrainConfig.Momentum"/> (0.9 by
/// default, as the book's code hard-codes); μ = 0 is plain SGD.
/// </summary>
public sealed class SgdMomentum(IReadOnlyList<NetParameter> parameters, double momentum, double weightDecay)
    : Optimizer(parameters, weightDecay)
{
    readonly Tensor[] u = ZerosLike(parameters);

    public double Momentum => momentum;

    public override IReadOnlyList<(string Name, Tensor Buffer)> State => [.. Parameters.Select((p, i) => (p.Name + ".m", u[i]))];

    protected override void Update(int i, Tensor w, Tensor g, double lr)
    {
        u[i].MulInPlace(momentum).AddInPlace(g);
        w.AddInPlace(u[i], -lr);
    }
}
