using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.GradChecks;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace LeanMlirVerify.FiniteDifference.GradChecks;

/// <summary>
/// The fast mode's power to catch wrong gradients, measured over many seeds (PyTorch's fast mode once passed a completely
/// wrong gradient): one wrong element, one wrong input of several, and a gradient that is wrong everywhere are caught for
/// every seed, with one backward per direction; and it costs far fewer evaluations than the full Jacobian.
/// </summary>
public class FastModePowerTests(ITestOutputHelper output)
{
    const int Seeds = 30;

    [Fact]
    public void OneWrongElement_IsCaughtAndLocalisedForEverySeed()
    {
        using var scope = NewDisposeScope();
        var caught = 0;
        for (var seed = 0; seed < Seeds; seed++)
        {
            using var inner = NewDisposeScope();
            var x = Init.Float64Cpu(100 + seed).Point(4, 6);
            var r = GradCheck.Function(v => SquareWrongAtOneElement.apply(v), x, new() { Mode = GradCheckMode.Fast(), Seed = seed });
            if (!r.Passed && r.Failures.Where(c => c.Index.Length > 0).All(c => c.Index.SequenceEqual([1L, 1L]))) caught++;
        }
        output.WriteLine($"caught and localised to [1, 1] for {caught} of {Seeds} seeds");
        Assert.Equal(Seeds, caught);
    }

    [Fact]
    public void OneWrongInputOfThree_IsCaughtAndNamedForEverySeed()
    {
        using var scope = NewDisposeScope();
        var caught = 0;
        for (var seed = 0; seed < Seeds; seed++)
        {
            using var inner = NewDisposeScope();
            var init = Init.Float64Cpu(200 + seed);
            Tensor[] xs = [init.Point(3, 4), init.Point(3, 4), init.Point(3, 4)];
            var r = GradCheck.Function(v => TimesSquareForgetsTwo.apply(v[0], v[1]).Add(v[2].sin()), xs,
                new() { Mode = GradCheckMode.Fast(2), Seed = seed });
            if (!r.Passed && r.Failures.All(c => c.Operand == "input 1")) caught++;
        }
        output.WriteLine($"caught, naming input 1 only, for {caught} of {Seeds} seeds");
        Assert.Equal(Seeds, caught);
    }

    [Fact]
    public void CompletelyWrongGradient_IsCaughtWithOneDirection()
    {
        using var scope = NewDisposeScope();
        // The backward of x ↦ xᵀ (a transpose) handed the cotangent back untransposed: right shape, wrong everywhere
        // off the diagonal. A square input, so shapes cannot give it away.
        for (var seed = 0; seed < Seeds; seed++)
        {
            using var inner = NewDisposeScope();
            var x = Init.Float64Cpu(300 + seed).Point(4, 4);
            var r = GradCheck.Function(v => v.t().contiguous().Add(v - v.detach()), x,
                new() { Mode = GradCheckMode.Fast(1), Seed = seed, NonDeterminismRuns = 1 });
            Assert.False(r.Passed, $"seed {seed}: {r.Message}");
        }
    }

    [Fact]
    public void FastMode_EvaluatesFarLessThanTheFullJacobian()
    {
        using var scope = NewDisposeScope();
        var x = Init.Float64Cpu(400).Point(20, 20);
        var fast = GradCheck.Function(v => v.tanh(), x, new() { Mode = GradCheckMode.Fast(), NonDeterminismRuns = 1 });
        Assert.True(fast.Passed, fast.Message);
        // 4 directions × 1 operand: 4 projections, no localisation.
        Assert.Equal(4, fast.Comparisons.Count);
        Assert.Equal("fast, 4 random projections", fast.Mode);
        var auto = GradCheck.Function(v => v.tanh(), x);
        Assert.Equal("fast, 4 random projections", auto.Mode);
    }
}
