using LeanMlirVerify.Training.Graph;
using LeanMlirVerify.Training.Optim;
using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using TorchSharp;
using static TorchSharp.torch;

namespace LeanMlirVerify.Training.Trainer;

/// <summary>
/// What <see cref="TrainingLoop"/> trains: a spec's parameters in <see cref="ParamTensors"/> order (He-initialised),
/// one gradient step, evaluation logits and the BN running statistics. Two backward passes implement it: the
/// hand-derived graph (<see cref="HandModel"/>, the default) and the libtorch autograd twin
/// (<see cref="Twin.TwinModel"/>, <c>lmv train --autograd</c>), so one loop drives both with the same data order, loss,
/// optimizer, schedule and file formats.
/// </summary>
public interface ITrainableModel : IDisposable
{
    NetSpec Spec { get; }

    /// <summary>Which backward computes the gradients (the training log's "backward:" line).</summary>
    string Backward { get; }

    /// <summary>Floats per input image (the flat batch is [B, InputElements]).</summary>
    long InputElements { get; }

    /// <summary>The live parameter tensors the optimizer updates in place, in tensor order.</summary>
    IReadOnlyList<NetParameter> Parameters { get; }

    int BnLayerCount { get; }

    /// <summary>
    /// Training-mode forward on the flat batch, softmax cross-entropy with label smoothing ε (item 32), the gradient of
    /// every parameter (aligned with <see cref="Parameters"/>), and the BN running-statistics update for global step
    /// <paramref name="globalStep"/> (copy at step 1, then EMA 0.1). A non-finite loss comes back with no gradients.
    /// </summary>
    (double Loss, IReadOnlyList<Tensor>? Grads) Step(Tensor x, Tensor labels, double smoothing, long globalStep);

    /// <summary>Evaluation logits [B, K] with the running BN statistics, no gradients kept.</summary>
    Tensor Logits(Tensor x);

    /// <summary>Per BN layer "&lt;name&gt;.mean" then "&lt;name&gt;.var": the live running tensors (the original's stats layout).</summary>
    IEnumerable<(string Name, Tensor Value)> BnStats { get; }

    /// <summary>Zeroed running statistics standing at global step <paramref name="step"/>, ready to be overwritten from a
    /// checkpoint.</summary>
    void ResetBnStats(long step);
}

/// <summary>The hand-derived backward: the spec's graph of src/Vjp rules (<see cref="NetworkBuilder"/>), no autograd.</summary>
public sealed class HandModel(Network network) : ITrainableModel
{
    public static HandModel Create(NetSpec spec, ScalarType dtype, Device device) => new(NetworkBuilder.Build(spec, dtype, device));

    public Network Network => network;
    public NetSpec Spec => network.Spec;
    public string Backward => "hand-derived (src/Vjp rules, no autograd)";
    public long InputElements => network.Input.Elements;
    public IReadOnlyList<NetParameter> Parameters { get; } = network.OptimizerParameters();
    public int BnLayerCount => network.BnLayers.Count;

    public (double Loss, IReadOnlyList<Tensor>? Grads) Step(Tensor x, Tensor labels, double smoothing, long globalStep)
    {
        using var noGrad = no_grad();
        network.Training = true;
        network.ZeroGrad();
        var (logits, pullback) = network.Forward(x);
        var (loss, lossPullback) = new SoftmaxCrossEntropy(labels, smoothing).Forward(new Vec(logits));
        // ToDouble reads libtorch's item() (a double for a float32 loss, exact) without the float64 copy and item<T>'s
        // overhead: 0.17 µs against 2.5 (measured).
        double value = loss.T.ToDouble();
        if (!double.IsFinite(value)) return (value, null);
        pullback(lossPullback(new Vec(ones(1, 1, loss.T.dtype, loss.T.device))).T);
        return (value, network.Grads);
    }

    public Tensor Logits(Tensor x)
    {
        using var noGrad = no_grad();
        network.Training = false;
        try { return network.Apply(x); }
        finally { network.Training = true; }
    }

    public IEnumerable<(string Name, Tensor Value)> BnStats =>
        network.BnLayers.Zip(network.BatchNorms).SelectMany(p => new[]
        {
            (p.First.Name + ".mean", p.Second.RunningMean ?? throw NoStats(p.First)),
            (p.First.Name + ".var", p.Second.RunningVar ?? throw NoStats(p.First)),
        });

    public void ResetBnStats(long step)
    {
        var (dtype, device) = (Parameters[0].Value.dtype, Parameters[0].Value.device);
        foreach (var (bn, layer) in network.BatchNorms.Zip(network.BnLayers))
            bn.SetRunningStats(zeros(layer.Channels, dtype, device), zeros(layer.Channels, dtype, device), step);
    }

    static InvalidOperationException NoStats(BnLayer layer) => new($"{layer.Name}: no running statistics yet (no training step ran)");

    public void Dispose() { }
}
