using System.Runtime.InteropServices;
using LeanMlirVerify.Training.Optim;
using static TorchSharp.torch;

namespace LeanMlirVerify.Training.Runs;

/// <summary>Moves live TorchSharp state in and out of checkpoints, and measures gradients for the trace.</summary>
public static class RunTensors
{
    /// <summary>A CPU copy of <paramref name="t"/> under <paramref name="name"/>: float64 stays float64, anything else float32.</summary>
    public static StoredTensor Store(string name, TensorGroup group, Tensor t)
    {
        if (t.dtype == ScalarType.Float64)
        {
            using var cpu64 = t.detach().cpu().contiguous();
            return new StoredTensor(name, group, cpu64.shape, cpu64.data<double>().ToArray());
        }
        using var cpu = t.detach().to(ScalarType.Float32, CPU).contiguous();
        return new StoredTensor(name, group, cpu.shape, cpu.data<float>().ToArray());
    }

    public static StoredDtype DtypeOf(ScalarType dtype) => dtype == ScalarType.Float64 ? StoredDtype.Float64 : StoredDtype.Float32;

    public static ScalarType ScalarTypeOf(StoredDtype dtype) => dtype == StoredDtype.Float64 ? ScalarType.Float64 : ScalarType.Float32;

    /// <summary>Parameters, then optimizer buffers, then BN running statistics (mean then var per BN layer).</summary>
    public static List<StoredTensor> Capture(Optimizer optimizer, IEnumerable<(string Name, Tensor Value)> bnStats) =>
    [
        .. optimizer.Parameters.Select(p => Store(p.Name, TensorGroup.Parameter, p.Value)),
        .. optimizer.State.Select(s => Store(s.Name, TensorGroup.OptimizerState, s.Buffer)),
        .. bnStats.Select(s => Store(s.Name, TensorGroup.BnRunningStat, s.Value)),
    ];

    /// <summary>Copies a checkpoint back into live tensors (same names and shapes, or an error naming the first difference).</summary>
    public static void Restore(Checkpoint checkpoint, Optimizer optimizer, IEnumerable<(string Name, Tensor Value)> bnStats)
    {
        var live = optimizer.Parameters.Select(p => (p.Name, p.Value, TensorGroup.Parameter))
            .Concat(optimizer.State.Select(s => (s.Name, s.Buffer, TensorGroup.OptimizerState)))
            .Concat(bnStats.Select(s => (s.Name, s.Value, TensorGroup.BnRunningStat))).ToList();
        if (live.Count != checkpoint.Tensors.Count)
            throw new InvalidDataException($"checkpoint holds {checkpoint.Tensors.Count} tensors, this run has {live.Count}");
        using var noGrad = no_grad();
        foreach (var ((name, tensor, group), stored) in live.Zip(checkpoint.Tensors))
        {
            if (stored.Name != name || stored.Group != group || !stored.Shape.SequenceEqual(tensor.shape))
                throw new InvalidDataException($"checkpoint tensor {stored.Name} ({stored.Group}, [{string.Join(", ", stored.Shape)}]) "
                    + $"where this run has {name} ({group}, [{string.Join(", ", tensor.shape)}])");
            using var source = stored.Dtype == StoredDtype.Float64
                ? TorchSharp.torch.tensor(stored.Values(), stored.Shape)
                : TorchSharp.torch.tensor(MemoryMarshal.Cast<byte, float>(stored.Bytes).ToArray(), stored.Shape);
            tensor.copy_(source); // converts to the live tensor's dtype and device
        }
        optimizer.RestoreStep(checkpoint.Step);
    }

    /// <summary>L2 norm of each gradient by parameter name, and over all gradients together.</summary>
    public static (double Total, Dictionary<string, double> PerTensor) GradNorms(
        IReadOnlyList<NetParameter> parameters, IReadOnlyList<Tensor> grads)
    {
        using var scope = NewDisposeScope();
        var per = parameters.Zip(grads).ToDictionary(pg => pg.First.Name, pg => pg.Second.to(ScalarType.Float64).norm().item<double>());
        return (Math.Sqrt(per.Values.Sum(n => n * n)), per);
    }
}
