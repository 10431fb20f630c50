using LeanMlirVerify.Training.Graph;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace LeanMlirVerify.Oracle.Trainer;

/// <summary>
/// The graph the trainer builds (Vjp rules only) against libtorch autograd on the same parameters: convBn (conv
/// without bias, training-mode BN, ReLU), max-pool, flatten, dense with W [fanIn, fanOut], softmax cross-entropy.
/// </summary>
public class AutogradAgreementTests
{
    static (double Loss, Tensor[] Grads) Autograd(IReadOnlyList<Tensor> p, Tensor x, Tensor labels)
    {
        var leaves = p.Select(t => t.detach().clone().requires_grad_(true)).ToArray();
        var h = F.conv2d(x.view(-1, 1, 28, 28), leaves[0], padding: [1, 1]);
        h = F.batch_norm(h, null, null, leaves[1], leaves[2], training: true, eps: 1e-5).relu();
        h = F.max_pool2d(h, [2, 2], [2, 2]).flatten(1);
        var logits = h.matmul(leaves[3]).Add(leaves[4]);
        var loss = F.cross_entropy(logits, labels);
        loss.backward();
        return (loss.item<double>(), leaves.Select(l => l.grad!).ToArray());
    }

    [Fact]
    public void ConvBnNet_LossAndEveryParameterGradientMatchAutograd()
    {
        using var scope = NewDisposeScope();
        var network = NetworkBuilder.Build(TinyData.ConvBn, ScalarType.Float64);
        var x = rand([6, 784], ScalarType.Float64, generator: new Generator(3));
        var labels = tensor(new long[] { 1, 4, 0, 9, 4, 7 });
        network.ZeroGrad();
        var (logits, pullback) = network.Forward(x);
        var (loss, lossPullback) = new SoftmaxCrossEntropy(labels).Forward(new Vec(logits));
        pullback(lossPullback(new Vec(ones(1, 1, ScalarType.Float64))).T);

        var (expectedLoss, expectedGrads) = Autograd(network.VjpParameters.Select(p => p.Value).ToList(), x, labels);
        Assert.Equal(expectedLoss, loss.T.item<double>(), 1e-12);
        foreach (var (p, g) in network.VjpParameters.Zip(expectedGrads))
            Assert.True(p.Grad.allclose(g, rtol: 1e-9, atol: 1e-12), $"{p.Name}: max |Δ| {(p.Grad - g).abs().max().item<double>()}");

        // Negative case: the autograd side with the dense kernel's rows permuted disagrees.
        var wrong = network.VjpParameters.Select(p => p.Value).ToList();
        wrong[3] = wrong[3].flip(0);
        Assert.NotEqual(expectedLoss, Autograd(wrong, x, labels).Loss, 6);
    }
}
