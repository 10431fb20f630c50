using LeanMlirVerify.Training.Comparisons;
using LeanMlirVerify.Training.Runs;
using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Training.Trainer;
using LeanMlirVerify.Training.Twin;
using static TorchSharp.torch;

namespace LeanMlirVerify.Oracle.Trainer;

/// <summary>The two <see cref="ITrainableModel"/>s side by side: same start, same BN bookkeeping, same evaluation.</summary>
public class TrainableModelTests
{
    /// <summary>Four BN layers in a stage with a projection shortcut: the order of BN statistics matters.</summary>
    static readonly NetSpec Projection = new("projection",
        [Layer.ConvBn(1, 4, 3, 1, Padding.Same), Layer.ResidualBlock(4, 8, 1, 2), Layer.GlobalAvgPool(),
            Layer.Dense(8, 10, Activation.Identity)]);

    [Fact]
    public void Twin_StartsFromTheHandModelsHeInit_AndKeepsTheSameRunningStatisticsAndEvaluationLogits()
    {
        using var scope = NewDisposeScope();
        using var hand = HandModel.Create(Projection, ScalarType.Float64, CPU);
        using var twin = new TwinModel(Projection, ScalarType.Float64, CPU);
        Assert.Equal(hand.Parameters.Select(p => p.Name), twin.Parameters.Select(p => p.Name));
        foreach (var (h, t) in hand.Parameters.Zip(twin.Parameters)) Assert.True(
            h.Value.allclose(t.Value, rtol: 0, atol: 0), $"{h.Name}: initial values differ");

        var generator = new Generator(5);
        for (long step = 1; step <= 3; step++)
        {
            var x = rand([6, 784], ScalarType.Float64, generator: generator);
            var y = tensor(new long[] { 0, 3, 9, 1, 1, 7 });
            var (handLoss, handGrads) = hand.Step(x, y, 0.1, step);
            var (twinLoss, twinGrads) = twin.Step(x, y, 0.1, step);
            Assert.Equal(handLoss, twinLoss, 1e-12);
            GradientComparison.RequireWithin(
                [.. hand.Parameters.Select((p, i) => GradientComparison.Compare(p.Name, handGrads![i], twinGrads![i]))], 1e-10,
                    $"step {step}");
        }
        Assert.Equal(4, twin.BnLayerCount);
        Assert.Equal(hand.BnStats.Select(s => s.Name), twin.BnStats.Select(s => s.Name));
        foreach (var ((name, h), (_, t)) in hand.BnStats.Zip(twin.BnStats))
            Assert.True(
                h.allclose(t, rtol: 1e-12, atol: 1e-14), $"{name}: running statistics differ by {(h - t).abs().max().item<double>():E2}");

        var xe = rand([5, 784], ScalarType.Float64, generator: generator);
        var (handLogits, twinLogits) = (hand.Logits(xe), twin.Logits(xe));
        Assert.True(handLogits.allclose(twinLogits, rtol: 1e-12, atol: 1e-12), "evaluation logits differ");
        // Evaluation uses the running statistics, not the batch's: a batch-statistics forward gives other logits.
        using var noGrad = no_grad();
        var batchMode = AutogradTwin.Forward(Projection, [.. twin.Parameters.Select(p => p.Value)], xe);
        Assert.False(batchMode.allclose(twinLogits, rtol: 1e-6, atol: 1e-6), "evaluation ignored the running statistics");
    }

    [Fact]
    public void AutogradRun_ResumedFromItsCheckpoint_GivesTheUninterruptedTrace()
    {
        using var data = new TinyData();
        var config = new TrainConfig(0.01, 16, 3) { UseAdam = true };
        new TrainingLoop(TinyData.ConvBn, config, DatasetKind.Mnist, data.Options("full") with { Autograd = true }).Run();
        new TrainingLoop(TinyData.ConvBn, config, DatasetKind.Mnist, data.Options("part") with { Autograd = true, MaxSteps = 6 }).Run();
        new TrainingLoop(TinyData.ConvBn, config, DatasetKind.Mnist,
            data.Options("part") with { Autograd = true, ResumePath = data.Out("part/checkpoint.lmvckpt") }).Run();
        var (full, resumed) = (TraceReader.Read(data.Out("full/trace.jsonl")), TraceReader.Read(data.Out("part/trace.jsonl")));
        Assert.Equal(12, full.Steps.Count);
        Assert.Equal(full.Steps.Select(s => s.Loss), resumed.Steps.Select(s => s.Loss));
        Assert.Equal(
            File.ReadAllBytes(data.Out("full/tiny_convbn_bn_stats.bin")), File.ReadAllBytes(data.Out("part/tiny_convbn_bn_stats.bin")));
    }
}
