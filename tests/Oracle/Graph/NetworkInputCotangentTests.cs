using LeanMlirVerify.Training.Graph;
using LeanMlirVerify.Training.Comparisons;
using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Training.Twin;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace LeanMlirVerify.Oracle.Graph;

/// <summary>
/// <see cref="Network.Forward"/> (what training runs) computes no input cotangent; <see cref="Network.ForwardWithInputCotangent"/>
/// does. Both must leave identical parameter gradients, and the dx of the second must be the input gradient autograd
/// computes on the twin. float64, batch 2, full resolution.
/// </summary>
public class NetworkInputCotangentTests(ITestOutputHelper output)
{
    static Tensor Labels => tensor(new long[] { 3, 8 });

    static (Network Network, Tensor X) Make(string net)
    {
        var network = NetworkBuilder.Build(NetCatalog.Find(net)!.Spec, ScalarType.Float64);
        return (network, rand([2, network.Input.Elements], ScalarType.Float64, generator: new Generator(5)));
    }

    /// <summary>One step through <see cref="Network.Forward"/> or, with <paramref name="withDx"/>, the forward with dx.</summary>
    static (List<Tensor> Grads, Tensor? Dx) Step(Network network, Tensor x, bool withDx)
    {
        network.ZeroGrad();
        Tensor logits;
        Func<Tensor, Tensor?> pullback;
        if (withDx) (logits, pullback) = network.ForwardWithInputCotangent(x);
        else
        {
            (logits, var accumulate) = network.Forward(x);
            pullback = dy => { accumulate(dy); return null; };
        }
        var (_, lossPullback) = new SoftmaxCrossEntropy(Labels).Forward(new Vec(logits));
        var dx = pullback(lossPullback(new Vec(ones(1, 1, ScalarType.Float64))).T);
        return ([.. network.Grads.Select(g => g.clone())], dx);
    }

    [Theory]
    [InlineData("mnist-mlp")]
    [InlineData("mnist-cnn")]
    [InlineData("mnist-cnn-bn")]
    [InlineData("cifar-bn")]
    public void TrainingForward_GivesTheSameParameterGradientsAsTheForwardWithDx(string net)
    {
        using var scope = NewDisposeScope();
        var (network, x) = Make(net);
        var (skipped, _) = Step(network, x, withDx: false);
        var (full, dx) = Step(network, x, withDx: true);
        Assert.NotNull(dx);
        for (var i = 0; i < full.Count; i++)
        {
            var difference = (skipped[i] - full[i]).abs().max().item<double>();
            Assert.True(difference == 0, $"{net}: {network.Tensors[i].Name} differs by {difference:G3} without dx");
        }
    }

    [Theory]
    [InlineData("mnist-mlp")]
    [InlineData("mnist-cnn")]
    public void ForwardWithDx_InputCotangentEqualsAutogradsInputGradient(string net)
    {
        using var scope = NewDisposeScope();
        var (network, x) = Make(net);
        var (_, dx) = Step(network, x, withDx: true);
        var row = GradientComparison.Compare("dx", dx!, TwinInputGradient(network, x));
        output.WriteLine(row.ToString());
        GradientComparison.RequireWithin([row], 1e-10, net);
        Assert.Equal(x.shape, dx!.shape);
    }

    [Fact]
    public void AWrongInputCotangent_IsReported()
    {
        using var scope = NewDisposeScope();
        var (network, x) = Make("mnist-mlp");
        var (_, dx) = Step(network, x, withDx: true);
        var row = GradientComparison.Compare("dx", dx!.Mul(1.001), TwinInputGradient(network, x));
        Assert.Throws<GradientMismatchException>(() => GradientComparison.RequireWithin([row], 1e-10, "mnist-mlp"));
    }

    static Tensor TwinInputGradient(Network network, Tensor x)
    {
        var leaves = network.VjpParameters.Select(p => p.Value.detach().requires_grad_(true)).ToList();
        var input = x.detach().requires_grad_(true);
        using var grad = enable_grad();
        var loss = TwinOps.SoftmaxCrossEntropy(AutogradTwin.Forward(network.Spec, leaves, input), Labels);
        return autograd.grad([loss], [input])[0];
    }
}
