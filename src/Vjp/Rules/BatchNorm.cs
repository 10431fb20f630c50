using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.Rules;

/// <summary>
/// Batch normalisation of a 3-tensor per channel over batch and space (N = B·H·W), biased variance, ε = 1e-5:
/// the normalize step (item 48) then the affine step (item 49), composed (item 50). Training mode normalises with
/// the batch statistics and updates the running ones (copy at the first step, then EMA with momentum 0.1);
/// evaluation mode normalises with the running statistics.
/// </summary>
public sealed partial class BatchNorm : HasVjp<Tensor3, Tensor3>
{
    readonly HasVjp<Tensor3, Tensor3> inner;

    /// <param name="gamma">scale γ [C]</param>
    /// <param name="beta">shift β [C]</param>
    /// <param name="name">the name parameters and errors carry</param>
    /// <param name="strategy">how the training-mode step runs; Auto (training) is libtorch's native kernel, tests force each</param>
    public BatchNorm(Tensor gamma, Tensor beta, string name = "bn", BnStrategy strategy = BnStrategy.Auto)
        : base(ItemId.bn_has_vjp, $"{name} {gamma.shape[0]}" + (strategy == BnStrategy.Auto ? "" : $" [{BnStrategies.Name(strategy)}]"))
    {
        Normalize = new BnNormalize(gamma.shape[0], name);
        Affine = new BnAffine(gamma, beta, name);
        inner = Normalize.Then(Affine);
        Strategy = strategy;
    }

    /// <summary>The strategy as asked for (Auto unless a test forces one).</summary>
    public BnStrategy Strategy { get; }

    /// <summary>γ = 1, β = 0 on <paramref name="channels"/> channels.</summary>
    public BatchNorm(long channels, Init init, string name = "bn") : this(init.Ones(channels), init.Zeros(channels), name) { }

    public BnNormalize Normalize { get; }
    public BnAffine Affine { get; }

    /// <summary>Training (batch statistics) or evaluation (running statistics).</summary>
    public bool Training { get => Normalize.Training; set => Normalize.Training = value; }

    public override IReadOnlyList<IVjpNode> Children => [inner];

    // Evaluation mode has one form (the composition): its pullback is one product already.
    protected override (Tensor3 y, Pullback<Tensor3, Tensor3> pullback) Run(Tensor3 x) =>
        !Training ? inner.Forward(x) : BnStrategies.Resolve(Strategy) switch
        {
            BnStrategy.Fused => RunFused(x),
            BnStrategy.Native => RunNative(x),
            _ => inner.Forward(x),
        };
}

/// <summary>
/// x̂ = (x − μ)·s, s = 1/√(σ² + ε), statistics per channel over (B, H, W). Training pullback, the fused three-term
/// form of item 48: dx = (s/N)·(N·g − Σg − x̂·Σ(x̂·g)). Evaluation: x̂ = (x − μ_run)·s_run, dx = s_run·g.
/// </summary>
public sealed class BnNormalize(long channels, string name = "bn")
    : HasVjp<Tensor3, Tensor3>(ItemId.bnNormalize_has_vjp, $"{name} normalize {channels}")
{
    public const double Epsilon = 1e-5;
    public const double Momentum = 0.1;
    static readonly long[] StatDims = [0, 2, 3];

    public bool Training { get; set; } = true;

    /// <summary>Running mean [C]; null until the first training step.</summary>
    public Tensor? RunningMean { get; private set; }

    /// <summary>Running biased variance [C]; null until the first training step.</summary>
    public Tensor? RunningVar { get; private set; }

    /// <summary>Training forwards seen (the first copies the batch statistics).</summary>
    public long Steps { get; private set; }

    /// <summary>Sets the running statistics (from a checkpoint, or the trainer's own bookkeeping).</summary>
    public void SetRunningStats(Tensor mean, Tensor variance, long steps)
    {
        Shapes.Require(mean, [channels], Culprit, "running mean");
        Shapes.Require(variance, [channels], Culprit, "running variance");
        RunningMean?.Dispose();
        RunningVar?.Dispose();
        RunningMean = mean.detach().clone().DetachFromDisposeScope();
        RunningVar = variance.detach().clone().DetachFromDisposeScope();
        Steps = steps;
    }

    protected override void CheckInput(Tensor3 x) => Shapes.Require(x.T, [-1, channels, -1, -1], Culprit, "x");

    protected override (Tensor3 y, Pullback<Tensor3, Tensor3> pullback) Run(Tensor3 x)
    {
        if (!Training)
        {
            if (RunningMean is null || RunningVar is null)
                throw new InvalidOperationException(
                    $"{Culprit}: evaluation mode needs running statistics (train a step or SetRunningStats first)");
            var sRun = RunningVar.Add(Epsilon).rsqrt().view(1, -1, 1, 1);
            var xhatEval = (x.T - RunningMean.view(1, -1, 1, 1)) * sRun;
            return (new Tensor3(xhatEval), dy => new Tensor3(dy.T * sRun));
        }
        var n = x.T.numel() / channels;
        var mean = x.T.mean(StatDims, keepdim: true);
        var variance = x.T.var(StatDims, unbiased: false, keepdim: true);
        var s = variance.Add(Epsilon).rsqrt();
        // In place where a full-size temporary would be thrown away: each one costs an allocation of x's size.
        var xhat = (x.T - mean).mul_(s);
        RecordBatchStats(mean.view(-1), variance.view(-1));
        return (new Tensor3(xhat), dy =>
        {
            var g = dy.T;
            var sumG = g.sum(StatDims, keepdim: true);
            var sumXhatG = (xhat * g).sum(StatDims, keepdim: true);
            return new Tensor3(g.Mul(n).sub_(sumG).AddcmulInPlace(xhat, sumXhatG, -1).mul_(s.Div(n)));
        });
    }

    /// <summary>
    /// Updates the running statistics from a training batch's (also called by <see cref="BatchNorm"/>'s fused and native
    /// forms).
    /// </summary>
    internal void RecordBatchStats(Tensor mean, Tensor variance)
    {
        if (Steps == 0 || RunningMean is null || RunningVar is null)
        {
            RunningMean?.Dispose();
            RunningVar?.Dispose();
            RunningMean = mean.clone().DetachFromDisposeScope();
            RunningVar = variance.clone().DetachFromDisposeScope();
        }
        else
        {
            RunningMean.MulInPlace(1 - Momentum).AddInPlace(mean, Momentum);
            RunningVar.MulInPlace(1 - Momentum).AddInPlace(variance, Momentum);
        }
        Steps++;
    }
}

/// <summary>y = γ·x̂ + β per channel (item 49; Jacobian γI, item 44): dx = γ·dy, dγ = Σ dy·x̂, dβ = Σ dy.</summary>
public sealed class BnAffine : HasVjp<Tensor3, Tensor3>
{
    static readonly long[] StatDims = [0, 2, 3];

    public BnAffine(Tensor gamma, Tensor beta, string name = "bn")
        : base(ItemId.bnAffine_has_vjp, $"{name} affine {gamma.shape[0]}")
    {
        Shapes.Require(beta, [gamma.shape[0]], Culprit, "β");
        Gamma = Own(new Parameter($"{name}.γ", ItemId.bnAffine_has_vjp, gamma));
        Beta = Own(new Parameter($"{name}.β", ItemId.bnAffine_has_vjp, beta));
    }

    public Parameter Gamma { get; }
    public Parameter Beta { get; }

    protected override void CheckInput(Tensor3 x) => Shapes.Require(x.T, [-1, Gamma.Value.shape[0], -1, -1], Culprit, "x");

    protected override (Tensor3 y, Pullback<Tensor3, Tensor3> pullback) Run(Tensor3 x)
    {
        var gamma = Gamma.Value.view(1, -1, 1, 1);
        return (new Tensor3((x.T * gamma).Add(Beta.Value.view(1, -1, 1, 1))), dy =>
        {
            Gamma.Accumulate((dy.T * x.T).sum(StatDims), Culprit);
            Beta.Accumulate(dy.T.sum(StatDims), Culprit);
            return new Tensor3(dy.T * gamma);
        });
    }
}

/// <summary>x ↦ x − μ per channel (item 45): J = I − (1/N)·11ᵀ, so dx = dy − mean(dy).</summary>
public sealed class BnCentered() : HasVjp<Tensor3, Tensor3>(ItemId.pdiv_bnCentered, "bn centering")
{
    static readonly long[] StatDims = [0, 2, 3];

    protected override (Tensor3 y, Pullback<Tensor3, Tensor3> pullback) Run(Tensor3 x) =>
        (new Tensor3(x.T - x.T.mean(StatDims, keepdim: true)), dy => new Tensor3(dy.T - dy.T.mean(StatDims, keepdim: true)));
}

/// <summary>
/// x ↦ s(x) copied to every position of its channel, s = 1/√(σ² + ε) (item 46): ∂y_j/∂x_i = −s³·(x_i − μ)/N for
/// every j, so dx = −s³·(x − μ)/N · Σ dy.
/// </summary>
public sealed class BnIstdBroadcast() : HasVjp<Tensor3, Tensor3>(ItemId.pdiv_bnIstdBroadcast, "bn inverse-std broadcast")
{
    static readonly long[] StatDims = [0, 2, 3];

    protected override (Tensor3 y, Pullback<Tensor3, Tensor3> pullback) Run(Tensor3 x)
    {
        var n = x.T.numel() / x.T.shape[1];
        var centered = x.T - x.T.mean(StatDims, keepdim: true);
        var s = centered.Square().mean(StatDims, keepdim: true).Add(BnNormalize.Epsilon).rsqrt();
        return (new Tensor3(s.expand(x.T.shape).contiguous()),
            dy => new Tensor3((-s.Pow(3) * centered).Div(n) * dy.T.sum(StatDims, keepdim: true)));
    }
}
