using LeanMlirVerify.Calculus.Reference;
using LeanMlirVerify.Calculus.Symbolic;
using static LeanMlirVerify.Calculus.Symbolic.Expr;

namespace LeanMlirVerify.FiniteDifference.Calculus;

public sealed class ReferenceForwardTests
{
    static double[] At(SymTensor t, Dictionary<string, double[]> point) => Evaluate.AtDouble(t.Data, point);

    [Fact]
    public void Conv2d_SameStride1And2_HaveTheBookShapesAndValues()
    {
        var x = SymTensor.Vars("x", 1, 4, 3);
        var w = SymTensor.Vars("W", 1, 1, 3, 3);
        var b = SymTensor.Vars("b", 1);
        Assert.Equal([1, 4, 3], Forward.Conv2d(x, w, b).Shape);
        Assert.Equal([1, 2, 2], Forward.Conv2d(x, w, b, stride: 2).Shape);
        // centre tap only: the conv is the identity plus bias
        var point = new Dictionary<string, double[]>
        {
            ["x"] = [.. Enumerable.Range(0, 12).Select(i => (double)i)], ["W"] = [0, 0, 0, 0, 1, 0, 0, 0, 0], ["b"] = [0.5],
        };
        Assert.Equal([.. Enumerable.Range(0, 12).Select(i => i + 0.5)], At(Forward.Conv2d(x, w, b), point));
        // 4×3 at stride 2: rows pad 0 low / 1 high, columns 1 / 1, so output (i, j) centres on x[2i+1, 2j] = 3(2i+1) + 2j
        Assert.Equal([3.5, 5.5, 9.5, 11.5], At(Forward.Conv2d(x, w, b, stride: 2), point));
        Assert.Equal(1, Forward.SamePadLow(3, 1, 3));
        Assert.Equal(0, Forward.SamePadLow(4, 2, 3));
        Assert.Equal(1, Forward.SamePadLow(3, 2, 3));
    }

    [Fact]
    public void MaxPool2_PicksEachWindowMaximum()
    {
        var x = SymTensor.Vars("x", 1, 2, 4);
        var point = new Dictionary<string, double[]> { ["x"] = [1, 5, -2, 0, 3, 2, -1, -3] };
        Assert.Equal([5, 0], At(Forward.MaxPool2(x), point));
    }

    [Fact]
    public void Softmax_SumsToOne_AndCrossEntropyIsMinusLogP()
    {
        var z = SymTensor.Vars("z", 3);
        var point = new Dictionary<string, double[]> { ["z"] = [0.1, -0.4, 1.3] };
        var p = At(Forward.Softmax(z), point);
        Assert.Equal(1.0, p.Sum(), 1e-15);
        Assert.Equal(-Math.Log(p[2]), Evaluate.AtDouble([Forward.SoftmaxCrossEntropy(z, 2, Rational.Zero)], point)[0], 1e-14);
    }

    [Fact]
    public void BnNormalize_HasZeroMeanAndUnitVarianceUpToEpsilon()
    {
        var x = SymTensor.Vars("x", 4);
        var xhat = At(Forward.BnNormalize(x, new Rational(1, 100000)), new() { ["x"] = [1, 2, 4, 9] });
        Assert.Equal(0.0, xhat.Average(), 1e-14);
        Assert.Equal(1.0, xhat.Select(v => v * v).Average(), 1e-5);
    }

    [Fact]
    public void Gelu_IsXTimesPhi()
    {
        var x = Var.Scalar("x");
        double v = Evaluate.AtDouble([Forward.Gelu(x)], new Dictionary<string, double[]> { ["x"] = [0.7] })[0];
        Assert.Equal(0.7 * 0.5 * (1 + MathNet.Numerics.SpecialFunctions.Erf(0.7 / Math.Sqrt(2))), v, 1e-15);
    }

    [Fact]
    public void PatchEmbed_PrependsClsAndAddsPositions()
    {
        var x = SymTensor.Vars("x", 1, 4, 4);
        var y = Forward.PatchEmbed(x, SymTensor.Vars("Wc", 2, 1, 2, 2), SymTensor.Vars("bc", 2), SymTensor.Vars("cls", 2),
            SymTensor.Vars("pos", 5, 2));
        Assert.Equal([5, 2], y.Shape);
        Assert.Same(Var.Of("cls", [2], 1) + Var.Of("pos", [5, 2], 0, 1), y[0, 1]);
        Assert.Contains(Var.Of("x", [1, 4, 4], 0, 0, 2), Differentiate.Variables(y[2, 0])); // patch (0,1) starts at column 2
    }

    [Fact]
    public void Mhsa_WithOneHeadIsSdpa()
    {
        var (q, k, v) = (SymTensor.Vars("Q", 1, 2, 2), SymTensor.Vars("K", 1, 2, 2), SymTensor.Vars("V", 1, 2, 2));
        Assert.Equal(Forward.Sdpa(Forward.Head(q, 0), Forward.Head(k, 0), Forward.Head(v, 0)).Data, Forward.Mhsa(q, k, v).Data);
    }
}
