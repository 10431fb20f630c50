using LeanMlirVerify.FiniteDifference.Vjp;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Checking;
using LeanMlirVerify.Vjp.GradChecks;
using LeanMlirVerify.Vjp.Rules;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace LeanMlirVerify.FiniteDifference.GradChecks;

/// <summary>GradCheck.Rule on rules of the algebra at every rank: the pullback's dx and each parameter cotangent.</summary>
public class RuleCheckTests(ITestOutputHelper output)
{
    [Fact]
    public void Dense_InputWeightAndBiasCotangentsPass()
    {
        using var scope = NewDisposeScope();
        var init = Init.Float64Cpu(1);
        var dense = new Dense(4, 3, init);
        var r = GradCheck.Rule(dense, new Vec(init.Point(2, 4)));
        output.WriteLine(r.Message);
        Assert.True(r.Passed, r.Message);
        Assert.Equal(["x", "dense.W", "dense.b"], r.Comparisons.Select(c => c.Operand).Distinct());
        Assert.StartsWith("GradCheck passed for rule dense 4→3 [dense_has_vjp]", r.Message);
    }

    [Fact]
    public void Relu_PassesAwayFromItsKink()
    {
        using var scope = NewDisposeScope();
        var init = Init.Float64Cpu(2);
        var r = GradCheck.Rule(Activations.Relu<Vec>(), new Vec(init.AwayFrom([0], 0.01, 1, 3, 5)));
        Assert.True(r.Passed, r.Message);
    }

    [Fact]
    public void MatrixAndThreeTensorRules_Pass()
    {
        using var scope = NewDisposeScope();
        var init = Init.Float64Cpu(3);
        var rowWise = GradCheck.Rule(MatrixKit.RowWise(new Dense(4, 2, init, "row")), new Mat(init.Point(2, 3, 4)));
        Assert.True(rowWise.Passed, rowWise.Message);
        var conv = GradCheck.Rule(Conv2d.Create(2, 3, 3, 2, bias: true, init), new Tensor3(init.Point(1, 2, 5, 5)));
        output.WriteLine(conv.Message);
        Assert.True(conv.Passed, conv.Message);
        Assert.Contains(conv.Comparisons, c => c.Operand == "conv.W");
    }

    [Fact]
    public void DenseWithBiasCotangentAveraged_NamesTheBias()
    {
        using var scope = NewDisposeScope();
        var init = Init.Float64Cpu(4);
        var mutant = new DenseBiasMeanMutant(init.Point(3, 2), init.Point(2));
        var r = GradCheck.Rule(mutant, new Vec(init.Point(4, 3)));
        output.WriteLine(r.Message);
        Assert.False(r.Passed);
        Assert.All(r.Failures, c => Assert.Equal("b", c.Operand));
        Assert.Contains("VJP mismatch: parameter 'b' [", r.Message);
    }

    [Fact]
    public void CotangentMode_ComparesEveryElementOfDxAndEachParameterForTheGivenDy()
    {
        using var scope = NewDisposeScope();
        var init = Init.Float64Cpu(7);
        var dense = new Dense(3, 2, init);
        var dy = init.Point(4, 2);
        var r = GradCheck.Rule(dense, new Vec(init.Point(4, 3)), new() { Mode = GradCheckMode.Cotangent(dy), NonDeterminismRuns = 1 });
        Assert.True(r.Passed, r.Message);
        // x [4, 3], W [3, 2], b [2]: one comparison per element.
        Assert.Equal(12 + 6 + 2, r.Comparisons.Count);
        Assert.All(r.Comparisons, c => Assert.Equal("central FD of ⟨dy, f⟩", c.Method));
        var wrongShape = Assert.Throws<ArgumentException>(() =>
            GradCheck.Rule(dense, new Vec(init.Point(4, 3)), new() { Mode = GradCheckMode.Cotangent(init.Point(4, 3)) }));
        Assert.Contains("the cotangent has shape [4,3] but rule dense 3→2 [dense_has_vjp] returns [4,2]", wrongShape.Message);
    }

    [Fact]
    public void CheckCase_IsCheckedLikeTheTypedRuleAndRepeatedParameterNamesStayApart()
    {
        using var scope = NewDisposeScope();
        var init = Init.Float64Cpu(8);
        // Two dense layers with the default name: both weights are "dense.W".
        var net = new Dense(3, 4, init).Then(new Dense(4, 2, init));
        var r = GradCheck.Rule(CheckCase.Of(net, init.Point(2, 3)));
        Assert.True(r.Passed, r.Message);
        Assert.Equal(["x", "dense.W", "dense.b", "dense.W#2", "dense.b#2"], r.Comparisons.Select(c => c.Operand).Distinct());
        var mutant = GradCheck.Rule(CheckCase.Of(new DenseBiasMeanMutant(init.Point(3, 2), init.Point(2)), init.Point(4, 3)));
        // Without this the next line passes on a mutant nobody caught (All over no failures).
        Assert.False(mutant.Passed, mutant.Message);
        Assert.All(mutant.Failures, c => Assert.Equal("b", c.Operand));
    }

    [Fact]
    public void RuleState_IsRestored()
    {
        using var scope = NewDisposeScope();
        // A float32 rule: the numeric side moves its parameters to float64 and back.
        var init = new Init(ScalarType.Float32, CPU, 5);
        var dense = new Dense(3, 2, init);
        dense.W.Grad.copy_(dense.W.Value);
        var (value, grad) = (dense.W.Value.clone(), dense.W.Grad.clone());
        var r = GradCheck.Rule(dense, new Vec(init.Point(2, 3)));
        Assert.True(r.Passed, r.Message);
        Assert.Equal(ScalarType.Float32, r.Dtype);
        Assert.Equal(ScalarType.Float32, dense.W.Value.dtype);
        Assert.Equal(value.data<float>().ToArray(), dense.W.Value.data<float>().ToArray());
        Assert.Equal(grad.data<float>().ToArray(), dense.W.Grad.data<float>().ToArray());
    }

    [Fact]
    public void SecondOrderOfARule_IsRefusedWithTheReason()
    {
        using var scope = NewDisposeScope();
        var init = Init.Float64Cpu(6);
        var e = Assert.Throws<NotSupportedException>(() =>
            GradCheck.Rule(new Dense(2, 2, init), new Vec(init.Point(1, 2)), new() { SecondOrder = true }));
        Assert.Contains("no_grad", e.Message);
    }
}
