using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Training.Trainer;
using LeanMlirVerify.Vjp.Algebra;
using static LeanMlirVerify.Training.Specs.Activation;
using static LeanMlirVerify.Training.Specs.Layer;
using static LeanMlirVerify.Training.Specs.Padding;
using static TorchSharp.torch;

namespace LeanMlirVerify.Oracle.Stress;

/// <summary>
/// The same float32 step on a freshly built net gives the same bits every time in one process: what the GC stress tests
/// and a resumed run's bit-for-bit trace rest on. Without MKL's reproducible mode
/// (<see cref="LibTorchRuntime.EnsureReproducibleMkl"/> made a no-op) this failed: losses and gradients of the first
/// fresh net 1–2 ulp off the later ones (docs/reliability.md, "Bitwise repeatable").
/// </summary>
public class RepeatabilityTests
{
    /// <summary>EfficientNet-B0's stem and first block at 224×224: conv, BN, depthwise conv, squeeze-excite, swish.</summary>
    static readonly NetSpec Stem = new("stem+mbconv",
        [ConvBn(3, 32, 3, 2, Same), MbConv(32, 16, 1, 3, 1, 1, true), GlobalAvgPool(), Dense(16, 10, Identity)], 224, 224);

    static List<(string Name, double Value)> FreshStep()
    {
        using var scope = NewDisposeScope();
        var x = randn([1, 3 * 224 * 224], generator: new Generator(11));
        using var model = HandModel.Create(Stem, ScalarType.Float32, CPU);
        var (loss, grads) = model.Step(x, tensor(new long[] { 3 }), smoothing: 0.0, globalStep: 1);
        var numbers = new List<(string, double)> { ("loss", loss) };
        for (int i = 0; i < grads!.Count; i++)
            numbers.Add(($"|d{model.Parameters[i].Name}|", grads[i].to(ScalarType.Float64).abs().sum().item<double>()));
        return numbers;
    }

    [Fact]
    public void Float32StepOfAFreshNet_SameBitsEveryTime()
    {
        Assert.NotEqual(MklReproducibility.Refused, LibTorchRuntime.EnsureReproducibleMkl());
        var first = FreshStep();
        for (int run = 2; run <= 4; run++)
        {
            var again = FreshStep();
            var differing = first.Zip(again).Where(p => BitConverter.DoubleToInt64Bits(p.First.Value)
                != BitConverter.DoubleToInt64Bits(p.Second.Value)).ToList();
            Assert.True(differing.Count == 0, $"fresh net {run}: {differing.Count} of {first.Count} numbers differ from the first; "
                + string.Join("; ", differing.Take(3).Select(p => $"{p.First.Name} {p.First.Value:R} ≠ {p.Second.Value:R}")));
        }
    }
}
