using FsCheck.Fluent;
using LeanMlirVerify.Testing;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.GradChecks;
using LeanMlirVerify.Vjp.Rules;
using TorchSharp;
using static TorchSharp.torch;

namespace LeanMlirVerify.FiniteDifference.GradChecks;

/// <summary>
/// The xunit assertion and FsCheck generators (src/Testing): one line per check or property, and a failure is an xunit
/// failure carrying the check's message.
/// </summary>
public class GradAssertTests
{
    [Fact]
    public void GradientsMatch_OneLinePerSubject()
    {
        using var scope = NewDisposeScope();
        var init = Init.Float64Cpu(1);
        GradAssert.GradientsMatch(x => Square.apply(x), init.Point(2, 3));
        GradAssert.GradientsMatch(xs => xs[0] * xs[1].exp(), [init.Point(3), init.Point(3)]);
        GradAssert.GradientsMatch(nn.Linear(2, 2, dtype: ScalarType.Float64), init.Point(3, 2));
        GradAssert.GradientsMatch(new Dense(3, 2, init), new Vec(init.Point(2, 3)));
    }

    [Fact]
    public void GradientsMatch_ThrowsAnXunitFailureWithTheMessage()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<GradientMismatchException>(() =>
            GradAssert.GradientsMatch(x => TanhScaledBy1001.apply(x), Init.Float64Cpu(2).Point(3)));
        Assert.IsAssignableFrom<Xunit.Sdk.XunitException>(e);
        Assert.StartsWith("GradCheck failed for function (float64, full Jacobian, numeric in float64)", e.Message);
        Assert.Equal(e.Result.Message, e.Message);
    }

    [Fact]
    public void Fails_AcceptsAWrongGradientAndRejectsARightOne()
    {
        using var scope = NewDisposeScope();
        var x = Init.Float64Cpu(3).Point(3);
        GradAssert.Fails(GradCheck.Function(v => TanhScaledBy1001.apply(v), x));
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => GradAssert.Fails(GradCheck.Function(v => v.tanh(), x)));
    }

    [Fact]
    public void PropertyOverGeneratedShapes_OneLine() =>
        GradAssert.GradientsMatchForAll(GradGen.Sample(GradGen.Shape(), inputs: 2), s => GradCheck.Function(Product, s.Tensors()));

    static Tensor Product(Tensor[] xs) => xs[0] * xs[1].tanh();

    [Fact]
    public void PropertyOverARule_KeepsPointsAwayFromTheKink() =>
        GradAssert.GradientsMatchForAll(GradGen.Sample(GradGen.Batched(2), awayFrom: [0], margin: 1e-3),
            s => GradCheck.Rule(Activations.Relu<Vec>(), new Vec(s.Tensors()[0])));

    [Fact]
    public void PropertyOverAWrongGradient_FailsNamingTheCase()
    {
        var e = Assert.Throws<GradientPropertyException>(() =>
            GradAssert.GradientsMatchForAll(GradGen.Sample(GradGen.Shape(1, 2)),
                s => GradCheck.Function(x => TanhScaledBy1001.apply(x), s.Tensors()[0]), runs: 5));
        Assert.Contains("Falsifiable", e.Message);
        Assert.Contains("GradCheck failed for function", e.Message);
    }

    [Fact]
    public void Generators_DrawShapesInRangeAndValuesAwayFromKinks()
    {
        var shapes = GradGen.Shape(2, 3, 1, 4).Sample(50);
        Assert.All(shapes, s => Assert.True(s.Length is >= 2 and <= 3 && s.All(d => d is >= 1 and <= 4)));
        var samples = GradGen.Sample(GradGen.Batched(4), inputs: 2, awayFrom: [0, 6], margin: 0.1).Sample(20);
        Assert.All(samples, s =>
        {
            Assert.Equal(2, s.Shapes.Count);
            Assert.Equal(4, s.Shapes[0].Length);
            Assert.All(s.Values.SelectMany(v => v), v => Assert.True(Math.Abs(v) >= 0.1 && Math.Abs(v - 6) >= 0.1));
        });
    }
}
