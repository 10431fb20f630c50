using LeanMlirVerify.Training.Optim;
using LeanMlirVerify.Training.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace LeanMlirVerify.Oracle.Runs;

/// <summary>Live run state: He-initialised parameters and the BN running-statistics EMA.</summary>
public class RunStateTests
{
    [Fact]
    public void RunParameters_HoldTheHeInitValuesInTensorOrder()
    {
        using var scope = NewDisposeScope();
        var ps = RunParameters.Create(PartOneSpecs.MnistMlp);
        Assert.Equal(["L0.W", "L0.b", "L1.W", "L1.b", "L2.W", "L2.b"], ps.Select(p => p.Name));
        Assert.Equal([784L, 512L], ps[0].Value.shape);
        Assert.Equal(-0.07572342f, ps[0].Value[0, 0].item<float>(), 6);
    }

    [Fact]
    public void BnRunningStats_CopyAtStepOneThenBlendByPointOne()
    {
        using var scope = NewDisposeScope();
        using var bn = new BnRunningStats(PartOneSpecs.MnistCnnBn);
        Assert.Equal(384, bn.Named.Sum(s => s.Value.numel()));
        Assert.Equal(["L0.mean", "L0.var", "L1.mean"], bn.Named.Take(3).Select(s => s.Name));
        Tensor[] Fill(float v)
        {
            using var s = v.ToScalar();
            return bn.Layers.Select(b => full(b.Channels, s)).ToArray();
        }
        bn.Update(1, Fill(2f), Fill(4f));
        Assert.Equal(2f, bn.Mean[3][0].item<float>());
        bn.Update(2, Fill(12f), Fill(4f));
        Assert.Equal(0.9f * 2 + 0.1f * 12, bn.Mean[3][63].item<float>(), 5);
        Assert.Equal(4f, bn.Var[0][0].item<float>(), 5);
        Assert.Throws<ArgumentException>(() => bn.Update(3, Fill(1f).Take(3).ToList(), Fill(1f)));
    }
}
