using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Training.Twin;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using Xunit.Abstractions;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace LeanMlirVerify.Oracle.Rules;

/// <summary>Elementwise activations and the softmax cross-entropy against libtorch's own ops and their backward.</summary>
[Collection(OracleCollection.Name)]
public class ActivationOracleTests(ITestOutputHelper output)
{
    // Random points avoid every kink; the kinks are pinned in KinkOracleTests and the rule-oracle family. At exactly ±3
    // libtorch's own hardswish backward gives the outer one-sided values 0 and 1, as ours does (pinned below).
    static readonly double[] Kinks = [0, 6, -3, 3];

    static OracleCase<Tensor3, Tensor3> Case(Init init, string name) =>
        new(Activations.ByName<Tensor3>(name), (x, _) => TwinOps.Activation(name, x),
            new Tensor3(init.AwayFrom(Kinks, 1e-3, 3, 3, 4, 5, 5)));

    [Fact, Evidence(ItemId.relu_has_vjp, EvidenceKind.Oracle)]
    public void Relu_CotangentMatchesAutograd() => OracleHarness.Check(init => Case(init, "relu"), c: 1, n: 1, output);

    /// <summary>
    /// ReLU and ReLU6 with each strategy forced. Native runs the kernel autograd's backward also runs, so only the mask
    /// composition is an independent comparison (NativeKernels.Uses); both are held here all the same.
    /// </summary>
    [Theory, Evidence(ItemId.relu_has_vjp, EvidenceKind.Oracle)]
    [InlineData("relu", KernelStrategy.Composed), InlineData("relu", KernelStrategy.Native)]
    [InlineData("relu6", KernelStrategy.Composed), InlineData("relu6", KernelStrategy.Native)]
    public void ForcedStrategy_CotangentMatchesAutograd(string name, KernelStrategy strategy) =>
        OracleHarness.Check(init => new OracleCase<Tensor3, Tensor3>(
            name == "relu" ? Activations.Relu<Tensor3>(strategy) : Activations.Relu6<Tensor3>(strategy),
            (x, _) => TwinOps.Activation(name, x), new Tensor3(init.AwayFrom(Kinks, 1e-3, 3, 3, 4, 5, 5))), c: 1, n: 1, output);

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

    /// <summary>
    /// libtorch's F.hardswish backward at exactly −3 and 3 takes the outer branches (0 and 1), not the middle one's
    /// (2x + 3)/6 (−0.5 and 1.5); our rule's one-sided values agree with it there. Pinned so the docs cannot drift.
    /// </summary>
    [Fact]
    public void LibTorchHardSwishBackward_AtMinusThreeAndThree_IsZeroAndOne()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { -3.0, 3.0, -2.0 }).requires_grad_(true);
        using (enable_grad()) F.hardswish(x).sum().backward();
        var grad = x.grad!.data<double>().ToArray();
        output.WriteLine($"hardswish′ at −3, 3, −2: {string.Join(", ", grad)}");
        // −2 is inside the middle branch, (2x + 3)/6 = −1/6: the probe itself sees the branches.
        Assert.Equal(new[] { 0.0, 1.0, -1.0 / 6 }, grad, (a, b) => Math.Abs(a - b) <= 1e-7);
    }
}
