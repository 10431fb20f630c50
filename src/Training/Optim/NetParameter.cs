using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Vjp.Algebra;
using TorchSharp;
using static TorchSharp.torch;

namespace LeanMlirVerify.Training.Optim;

/// <summary>A net's parameter tensor that the optimizer updates in place, with what the spec says about it.</summary>
public sealed record NetParameter(ParamTensor Info, Tensor Value)
{
    public string Name => Info.Name;
}
