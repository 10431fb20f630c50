using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Vjp.Algebra;
using static TorchSharp.torch;

namespace LeanMlirVerify.Training.Optim;

/// <summary>Live parameter tensors of a spec, He-initialised (training facts §4.3), in tensor order.</summary>
public static class RunParameters
{
    public static IReadOnlyList<NetParameter> Create(NetSpec spec, Device? device = null, ScalarType dtype = ScalarType.Float32) =>
        InitialValues.Tensors(spec).Select(t => new NetParameter(t.Tensor,
            tensor(t.Values, t.Tensor.Shape).to(dtype, device ?? CPU).DetachFromDisposeScope())).ToList();
}

/// <summary>
/// BN running statistics (training facts §4.11), one mean and one (biased) variance vector per BN layer in collection
/// order, kept outside the step: running ← (1 − m)·running + m·batch with m = 1 at global step 1 (a copy) and 0.1 after.
/// </summary>
public sealed class BnRunningStats : IDisposable
{
    public const double Momentum = 0.1;

    public BnRunningStats(NetSpec spec, Device? device = null, ScalarType dtype = ScalarType.Float32)
    {
        Layers = ParamTensors.BnLayers(spec);
        Mean = Layers.Select(b => zeros(b.Channels, dtype, device ?? CPU).DetachFromDisposeScope()).ToArray();
        Var = Layers.Select(b => zeros(b.Channels, dtype, device ?? CPU).DetachFromDisposeScope()).ToArray();
    }

    public IReadOnlyList<BnLayer> Layers { get; }
    public Tensor[] Mean { get; }
    public Tensor[] Var { get; }

    /// <summary>Per BN layer "&lt;name&gt;.mean" then "&lt;name&gt;.var": the original's stats-buffer layout.</summary>
    public IEnumerable<(string Name, Tensor Value)> Named =>
        Layers.SelectMany((b, i) => new[] { (b.Name + ".mean", Mean[i]), (b.Name + ".var", Var[i]) });

    public void Update(long globalStep, IReadOnlyList<Tensor> batchMean, IReadOnlyList<Tensor> batchVar)
    {
        if (batchMean.Count != Layers.Count || batchVar.Count != Layers.Count)
            throw new ArgumentException($"{batchMean.Count} means and {batchVar.Count} variances for {Layers.Count} BN layers");
        double m = globalStep == 1 ? 1.0 : Momentum;
        using var noGrad = no_grad();
        for (int i = 0; i < Layers.Count; i++)
        {
            Mean[i].MulInPlace(1 - m).AddInPlace(batchMean[i], m);
            Var[i].MulInPlace(1 - m).AddInPlace(batchVar[i], m);
        }
    }

    public void Dispose()
    {
        foreach (var t in Mean.Concat(Var)) t.Dispose();
    }
}
