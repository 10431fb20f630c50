using LeanMlirVerify.Vjp.Algebra;

namespace LeanMlirVerify.Training.Specs;

/// <summary>
/// A spec's initial parameter values in tensor order (training facts §4.3), from the one He initialiser,
/// <see cref="Init.HeValues"/>: each He tensor (kernels and the positional table) takes its own seed, counting up from
/// 42 in tensor order. Biases, β and the CLS token are 0; BN and LayerNorm γ are 1. The hand-derived graph draws the
/// same values through its rules (<see cref="Init.He"/>); this list is what the autograd twin and the checks start from.
/// </summary>
public static class InitialValues
{
    public const ulong FirstSeed = Init.FirstHeSeed;

    /// <summary>Every tensor's initial values, in tensor order.</summary>
    public static IReadOnlyList<(ParamTensor Tensor, float[] Values)> Tensors(NetSpec spec)
    {
        ulong seed = FirstSeed;
        return ParamTensors.Of(spec).Select(t => (t, Values(t, t.ConsumesSeed ? seed++ : 0))).ToList();
    }

    /// <summary>The whole flat parameter buffer (tensors concatenated, each row-major).</summary>
    public static float[] Flat(NetSpec spec) => Tensors(spec).SelectMany(t => t.Values).ToArray();

    public static float[] Values(ParamTensor tensor, ulong seed) => tensor.Role switch
    {
        ParamRole.Kernel or ParamRole.Positions => Init.HeValues(tensor.Size, tensor.FanIn, seed),
        ParamRole.BnGamma or ParamRole.LnGamma => Enumerable.Repeat(1f, checked((int)tensor.Size)).ToArray(),
        _ => new float[tensor.Size],
    };
}
