using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Checking;
using LeanMlirVerify.Vjp.Rules;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace LeanMlirVerify.FiniteDifference.Vjp.Rules;

/// <summary>
/// Each GELU rule against central differences of its own forward, float64, ε = 1e-5, error below 1e-7, at points that
/// include where the two forms differ most (±2.02 in the derivative, ±2.70 in the value) and the tails: the tanh rule
/// training runs is the binding gelu_tanh_has_vjp, checked as itself (book check 25 is the erf form's Jacobian).
/// </summary>
public class GeluFormsTests(ITestOutputHelper output)
{
    static readonly double[] Points = [-6, -2.6989, -2.0187, -1, -1e-3, 0, 0.5, 2.0187, 2.6989, 6];

    static Tensor X() => tensor(Points, float64).view(1, -1);

    [Fact, Evidence(ItemId.gelu_tanh_has_vjp, EvidenceKind.FiniteDifference)]
    public void GeluTanh_JacobianMatchesCentralDifferenceOfTheTanhForm()
    {
        using var scope = NewDisposeScope();
        FdAssert.Passes(output, [VjpCheck.Jacobian(CheckCase.Of(Activations.GeluTanh<Vec>(), X(), "n=10"), "gelu_tanh")]);
    }

    [Fact, Evidence(ItemId.gelu_has_vjp, EvidenceKind.FiniteDifference)]
    public void GeluErf_JacobianMatchesCentralDifferenceOfTheErfForm()
    {
        using var scope = NewDisposeScope();
        FdAssert.Passes(output, [VjpCheck.Jacobian(CheckCase.Of(Activations.GeluErf<Vec>(), X(), "n=10"), "gelu_erf")]);
    }

    [Fact]
    public void TheErfDerivativeAgainstTheTanhForward_IsReported()
    {
        // The pullback of one form against the forward of the other: the check must see two different functions.
        using var scope = NewDisposeScope();
        var erf = Activations.GeluErf<Vec>();
        var tanh = Activations.GeluTanh<Vec>();
        var mixed = CheckCase.Of(tanh, X(), "n=10");
        var c = new CheckCase
        {
            Rule = "erf pullback, tanh forward (mutant)", Item = ItemId.gelu_tanh_has_vjp, Sizes = "n=10", X = X(),
            Forward = mixed.Forward, Pullback = (t, dy) => erf.Forward(new Vec(t)).pullback(new Vec(dy)).T,
            ParameterPullback = mixed.ParameterPullback, Parameters = [], Derivation = mixed.Derivation, Root = mixed.Root,
        };
        var row = VjpCheck.Jacobian(c);
        output.WriteLine(row.ToString());
        Assert.False(row.Passed, row.ToString());
        Assert.True(row.MaxError > 1e-4, row.ToString());
    }
}
