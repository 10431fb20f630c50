using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Training.Twin;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using Xunit.Abstractions;

namespace LeanMlirVerify.Oracle.Rules;

/// <summary>Elementwise activations and the softmax cross-entropy against libtorch's own ops and their backward.</summary>
[Collection(OracleCollection.Name)]
public class ActivationOracleTests(ITestOutputHelper output)
{
    // Random points avoid every kink: libtorch's hardswish backward takes the (2x+3)/6 branch at exactly ±3 (−0.5 and
    // 1.5), while ours takes the one-sided outer value (0 and 1); only ReLU's kink is pinned (below, and KinkTests).
    static readonly double[] Kinks = [0, 6, -3, 3];

    static OracleCase<Tensor3, Tensor3> Case(Init init, string name) =>
        new(Activations.ByName<Tensor3>(name), (x, _) => TwinOps.Activation(name, x), new Tensor3(init.AwayFrom(Kinks, 1e-3, 3, 3, 4, 5, 5)));

    [Fact, Evidence(ItemId.relu_has_vjp, EvidenceKind.Oracle)]
    public void Relu_CotangentMatchesAutograd() => OracleHarness.Check(init => Case(init, "relu"), c: 1, n: 1, output);

    [Theory, Evidence(ItemId.pdiv, EvidenceKind.Oracle)]
    [InlineData("sigmoid"), InlineData("swish"), InlineData("relu6"), InlineData("hswish"), InlineData("hsigmoid")]
    public void ElementwiseActivation_CotangentMatchesAutograd(string name) =>
        OracleHarness.Check(init => Case(init, name), c: 4, n: 1, output);

    [Theory, Evidence(ItemId.softmaxCE_grad, EvidenceKind.Oracle)]
    [InlineData(0.0), InlineData(0.1)]
    public void SoftmaxCrossEntropy_LogitCotangentMatchesAutograd(double smoothing) =>
        // Reduction: the K-term softmax normaliser and the B-term batch mean; bound c = 4 over n = K·B.
        OracleHarness.Check(init =>
        {
            var labels = TorchSharp.torch.tensor(new long[] { 3, 0, 9, 9, 1, 4 });
            return new OracleCase<Vec, Vec>(new SoftmaxCrossEntropy(labels, smoothing),
                (z, _) => TwinOps.SoftmaxCrossEntropy(z, labels, smoothing).view(1, 1), new Vec(init.Point(6, 10)));
        }, c: 4, n: 60, output);
}
