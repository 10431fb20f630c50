using LeanMlirVerify.Training.Comparisons;
using static TorchSharp.torch;

namespace LeanMlirVerify.Oracle.Checks;

/// <summary>
/// A hand-derived tensor against autograd: the tensor-relative metric (max|a − b| / max|b|), judged and explained by the
/// shared comparison at the worst element.
/// </summary>
[Collection(Rules.OracleCollection.Name)]
public class GradientComparisonTests
{
    [Fact]
    public void Compare_OverTheBound_NamesTheWorstElementAndBothValues()
    {
        using var scope = NewDisposeScope();
        var reference = tensor(new[] { 1.0, -4.0, 2.0, 0.5, 3.0, -1.0 }).view(2, 3);
        var hand = tensor(new[] { 1.0, -4.0, 2.0, 0.5, 3.004, -1.0 }).view(2, 3); // [1, 1] off by 4e-3
        var t = GradientComparison.Compare("dW", hand, reference);
        Assert.Equal([1L, 1L], t.WorstIndex);
        Assert.Equal(1e-3, t.MaxRel, 1e-12); // 4e-3 / max|b| = 4
        Assert.True(t.Within(2e-3));
        Assert.False(t.Within(5e-4));
        var e = Assert.Throws<GradientMismatchException>(() => GradientComparison.RequireWithin([t], 5e-4, "case"));
        Assert.Contains("input 'dW' [1, 1]: analytic 3.004 (backward), numeric 3 (libtorch autograd)", e.Message);
    }

    [Fact]
    public void Against_MeasuresTheSameErrorAtAnotherScale()
    {
        using var scope = NewDisposeScope();
        var t = GradientComparison.Compare("db", tensor(new[] { 1e-15, 0.0 }), tensor(new[] { 0.0, 0.0 }));
        Assert.False(t.Within(1e-12)); // against its own zero scale, rounding noise is huge
        var scaled = t.Against(GradientComparison.CaseScale([t, GradientComparison.Compare("dW",
            tensor(new[] { 10.0 }), tensor(new[] { 10.0 }))]));
        Assert.Equal(1e-16, scaled.MaxRel, 1e-20);
        Assert.True(scaled.Within(1e-12));
    }
}
