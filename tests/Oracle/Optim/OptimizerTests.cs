using LeanMlirVerify.Training.Optim;
using LeanMlirVerify.Training.Specs;
using Xunit.Sdk;
using static TorchSharp.torch;

namespace LeanMlirVerify.Oracle.Optim;

/// <summary>AdamW and SGD-with-momentum updates against hand-computed values (training facts §4.9).</summary>
public class OptimizerTests
{
    static NetParameter Param(string name, ParamRole role, params float[] values) =>
        new(new ParamTensor(name, [values.Length], role, values.Length), tensor(values));

    static void AssertClose(double[] expected, Tensor actual)
    {
        var got = actual.data<float>().ToArray();
        Assert.Equal(expected.Length, got.Length);
        for (int i = 0; i < got.Length; i++)
            if (!(Math.Abs(got[i] - expected[i]) <= 1e-6 * Math.Max(1, Math.Abs(expected[i]))))
                throw new XunitException($"element {i}: expected {expected[i]:R}, got {got[i]:R}");
    }

    [Fact]
    public void AdamW_TwoSteps_MatchHandComputedValues_DecayOnKernelsOnly()
    {
        using var scope = NewDisposeScope();
        var w = Param("W", ParamRole.Kernel, 1f, -2f);
        var b = Param("b", ParamRole.Bias, 0.5f);
        using var adam = new AdamW([w, b], weightDecay: 0.01);
        adam.Apply([tensor(new[] { 0.5f, 0.1f }), tensor(new[] { -0.2f })], lr: 0.1);
        // t = 1: m̂ = g and v̂ = g², so the step is lr·g/(|g| + ε); decay −wd·lr·w_old on W only.
        double Step1(double g) => 0.1 * g / (Math.Abs(g) + 1e-8);
        AssertClose([1 - Step1(0.5) - 0.001 * 1, -2 - Step1(0.1) - 0.001 * -2], w.Value);
        AssertClose([0.5 - Step1(-0.2)], b.Value);
        Assert.Equal(1, adam.Step);

        var w1 = w.Value.data<float>().ToArray();
        adam.Apply([tensor(new[] { -0.3f, 0.1f }), tensor(new[] { 0.0f })], lr: 0.05);
        double[] m = [0.9 * 0.05 + 0.1 * -0.3, 0.9 * 0.01 + 0.1 * 0.1],
            v = [0.999 * 0.00025 + 0.001 * 0.09, 0.999 * 0.00001 + 0.001 * 0.01];
        double Step2(int i) => 0.05 * (m[i] / (1 - 0.81)) / (Math.Sqrt(v[i] / (1 - 0.998001)) + 1e-8);
        AssertClose([w1[0] - Step2(0) - 0.01 * 0.05 * w1[0], w1[1] - Step2(1) - 0.01 * 0.05 * w1[1]], w.Value);
        AssertClose([.. m, .. v], cat(adam.State.Where(s => s.Name.StartsWith("W.")).Select(s => s.Buffer).ToList()));
    }

    [Fact]
    public void AdamW_WithoutBiasCorrection_IsDetectedByTheSameCheck()
    {
        using var scope = NewDisposeScope();
        var w = Param("W", ParamRole.Kernel, 1f);
        using var adam = new AdamW([w], 0);
        adam.Apply([tensor(new[] { 0.5f })], lr: 0.1);
        // Negative case: the uncorrected step lr·m/(√v + ε) = 0.1·0.05/(√0.00025) ≈ 0.316 is not what ran.
        double uncorrected = 1 - 0.1 * 0.05 / (Math.Sqrt(0.00025) + 1e-8);
        Assert.Throws<XunitException>(() => AssertClose([uncorrected], w.Value));
        AssertClose([0.9], w.Value);
    }

    [Fact]
    public void Sgd_HeavyBallMomentum_MatchesHandComputedValues()
    {
        using var scope = NewDisposeScope();
        var w = Param("W", ParamRole.Kernel, 1f, 2f);
        var b = Param("b", ParamRole.Bias, 3f);
        using var sgd = new SgdMomentum([w, b], momentum: 0.9, weightDecay: 0.1);
        sgd.Apply([tensor(new[] { 1f, -1f }), tensor(new[] { 2f })], lr: 0.5);
        // u = g; w ← w − lr·u − wd·lr·w_old
        AssertClose([1 - 0.5 - 0.05 * 1, 2 + 0.5 - 0.05 * 2], w.Value);
        AssertClose([3 - 1.0], b.Value);
        sgd.Apply([tensor(new[] { 1f, 1f }), tensor(new[] { 0f })], lr: 0.5);
        // u = 0.9·u + g = [1.9, 0.1], b: u = 1.8
        AssertClose([0.45 - 0.5 * 1.9 - 0.05 * 0.45, 2.4 - 0.5 * 0.1 - 0.05 * 2.4], w.Value);
        AssertClose([2 - 0.5 * 1.8], b.Value);
        Assert.Single(sgd.State, s => s.Name == "W.m");
    }

    [Fact]
    public void Sgd_MomentumComesFromTheConfig_PlainSgdIsMomentumZero()
    {
        using var scope = NewDisposeScope();
        var w = Param("W", ParamRole.Kernel, 0f);
        using var plain = Optimizer.For(Recipes.S4tfBaseline() with { Momentum = 0 }, [w]);
        plain.Apply([tensor(new[] { 1f })], 0.1);
        plain.Apply([tensor(new[] { 1f })], 0.1);
        AssertClose([-0.2], w.Value);
        // Negative case: with the default μ = 0.9 the second step is 0.19, not 0.1.
        var v = Param("W", ParamRole.Kernel, 0f);
        using var heavy = Optimizer.For(Recipes.S4tfBaseline(), [v]);
        heavy.Apply([tensor(new[] { 1f })], 0.1);
        heavy.Apply([tensor(new[] { 1f })], 0.1);
        Assert.Throws<XunitException>(() => AssertClose([-0.2], v.Value));
        AssertClose([-0.29], v.Value);
        Assert.IsType<AdamW>(Optimizer.For(Recipes.AdamOnly(), [Param("x", ParamRole.Bias, 0f)]));
    }

    [Fact]
    public void Apply_RefusesMisalignedGradients()
    {
        using var scope = NewDisposeScope();
        using var sgd = new SgdMomentum([Param("W", ParamRole.Kernel, 1f, 2f)], 0.9, 0);
        Assert.Throws<ArgumentException>(() => sgd.Apply([], 0.1));
        Assert.Contains("shape [3]", Assert.Throws<ArgumentException>(() => sgd.Apply([zeros(3)], 0.1)).Message);
    }
}
