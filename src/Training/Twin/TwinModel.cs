using LeanMlirVerify.Training.Optim;
using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Training.Trainer;
using static TorchSharp.torch;

namespace LeanMlirVerify.Training.Twin;

/// <summary>
/// BN for one twin forward beyond plain training mode: <see cref="Recording"/> normalises with batch statistics and
/// keeps each BN layer's batch mean and biased variance (detached, in call order = BN-collection order);
/// <see cref="Running"/> normalises with given running statistics (evaluation).
/// </summary>
public sealed class TwinBatchNorms
{
    static readonly long[] StatDims = [0, 2, 3];
    readonly IReadOnlyList<Tensor>? runningMean, runningVar;
    int next;

    TwinBatchNorms(IReadOnlyList<Tensor>? mean, IReadOnlyList<Tensor>? variance) => (runningMean, runningVar) = (mean, variance);

    public static TwinBatchNorms Recording() => new(null, null);

    public static TwinBatchNorms Running(IReadOnlyList<Tensor> mean, IReadOnlyList<Tensor> variance) => new(mean, variance);

    public List<Tensor> BatchMean { get; } = [];
    public List<Tensor> BatchVar { get; } = [];

    internal Tensor Apply(Tensor x, Tensor gamma, Tensor beta)
    {
        if (runningMean is null || runningVar is null)
        {
            using (no_grad())
            {
                BatchMean.Add(x.detach().mean(StatDims));
                BatchVar.Add(x.detach().var(StatDims, unbiased: false));
            }
            return TwinOps.BatchNormTrain(x, gamma, beta);
        }
        if (next >= runningMean.Count)
            throw new ArgumentException($"twin: BN layer #{next} has no running statistics ({runningMean.Count} given)");
        int i = next++;
        return TwinOps.BatchNormEval(x, gamma, beta, runningMean[i], runningVar[i]);
    }
}

/// <summary>
/// The autograd twin as a trainable model (<c>lmv train NET --autograd</c>): the same He-initialised parameter tensors
/// as the hand-derived graph, gradients by <see cref="TwinStep"/> (torch.autograd.grad), BN running statistics kept by
/// <see cref="BnRunningStats"/> with the book's rule. It exists to check the hand-derived path against.
/// </summary>
public sealed class TwinModel : ITrainableModel
{
    readonly BnRunningStats stats;
    readonly IReadOnlyList<Tensor> values;

    public TwinModel(NetSpec spec, ScalarType dtype, Device device)
    {
        ShapeInference.Infer(spec);
        Spec = spec;
        InputElements = ShapeInference.InputShape(spec).Elements;
        Parameters = RunParameters.Create(spec, device, dtype);
        values = Parameters.Select(p => p.Value).ToList();
        stats = new BnRunningStats(spec, device, dtype);
    }

    public NetSpec Spec { get; }
    public string Backward => "libtorch autograd twin (torch.autograd.grad, --autograd)";
    public long InputElements { get; }
    public IReadOnlyList<NetParameter> Parameters { get; }
    public int BnLayerCount => stats.Layers.Count;

    public (double Loss, IReadOnlyList<Tensor>? Grads) Step(Tensor x, Tensor labels, double smoothing, long globalStep)
    {
        var norms = TwinBatchNorms.Recording();
        var (loss, grads) = TwinStep.Run(Spec, values, x, labels, smoothing, norms);
        // As the hand-derived graph: the running statistics move with the forward, before the loss is looked at.
        stats.Update(globalStep, norms.BatchMean, norms.BatchVar);
        double value = loss.to(ScalarType.Float64).item<double>();
        return double.IsFinite(value) ? (value, grads) : (value, null);
    }

    public Tensor Logits(Tensor x)
    {
        using var noGrad = no_grad();
        return AutogradTwin.Forward(Spec, values, x, TwinBatchNorms.Running(stats.Mean, stats.Var));
    }

    public IEnumerable<(string Name, Tensor Value)> BnStats => stats.Named;

    /// <summary>The running statistics follow the global step passed to <see cref="Step"/>, so only their values reset.</summary>
    public void ResetBnStats(long step)
    {
        using var noGrad = no_grad();
        foreach (var t in stats.Mean.Concat(stats.Var)) t.zero_();
    }

    public void Dispose()
    {
        stats.Dispose();
        foreach (var t in values) t.Dispose();
    }
}
