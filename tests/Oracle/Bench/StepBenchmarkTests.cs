using LeanMlirVerify.Training.Bench;
using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Oracle.Bench;

public class StepBenchmarkTests
{
    [Fact]
    public void MnistMlpStepFlops_CountsTwoProductsForTheFirstLayerAndThreeAfter()
    {
        double expected = 2.0 * 2 * 128 * 784 * 512 + 3.0 * 2 * 128 * 512 * 512 + 3.0 * 2 * 128 * 512 * 10;
        Assert.Equal(expected, StepBenchmark.StepFlops(Catalog.Find("mnist-mlp")!.Spec, 128));
    }

    [Fact]
    public void StepFlops_IsNotANumberForLayersItDoesNotCount() =>
        Assert.True(double.IsNaN(StepBenchmark.StepFlops(Catalog.Find("vit-tiny")!.Spec, 2)));

    [Fact]
    public void Run_MeasuresBothPipelinesOnTheSameBatch()
    {
        var spec = new NetSpec("tiny", [Layer.Dense(784, 16, Activation.Relu), Layer.Dense(16, 10, Activation.Identity)]);
        var r = StepBenchmark.Run(spec, batch: 4, steps: 3, warmup: 1);
        Assert.True(r.HandMs > 0 && r.TwinMs > 0 && r.MatmulGflops > 0, r.ToString());
        Assert.Equal(r.TwinMs / r.HandMs, r.Speedup, 12);
    }
}
