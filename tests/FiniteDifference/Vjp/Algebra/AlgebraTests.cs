using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using static TorchSharp.torch;

namespace LeanMlirVerify.FiniteDifference.Vjp.Algebra;

/// <summary>The algebra's contracts: shape errors name the culprit, derivations list the ledger items.</summary>
public class AlgebraTests
{
    [Fact]
    public void Chain_MismatchedWidthsThrowNamingBothRulesAndShapes()
    {
        using var scope = NewDisposeScope();
        var init = Init.Float64Cpu(1);
        var net = new Dense(4, 3, init, "fc1").Then(new Dense(5, 2, init, "fc2"));
        var e = Assert.Throws<ShapeMismatchException>(() => net.Forward(new Vec(init.Point(2, 4))));
        Assert.Contains("fc1 4→3", e.Message);
        Assert.Contains("fc2 5→2", e.Message);
        Assert.Contains("[2,3]", e.Message);
        Assert.Contains("[*,5]", e.Message);
        Assert.Contains(ItemId.vjp_comp, e.Message);
    }

    [Fact]
    public void Pullback_CotangentOfTheWrongShapeThrowsNamingTheRule()
    {
        using var scope = NewDisposeScope();
        var init = Init.Float64Cpu(2);
        var (_, pullback) = new Dense(4, 3, init).Forward(new Vec(init.Point(2, 4)));
        var e = Assert.Throws<ShapeMismatchException>(() => pullback(new Vec(init.Point(2, 4))));
        Assert.Contains("dense 4→3 [dense_has_vjp]", e.Message);
        Assert.Contains("[2,4]", e.Message);
        Assert.Contains("[2,3]", e.Message);
    }

    [Fact]
    public void Value_OfTheWrongRankIsRejected() =>
        Assert.Throws<ShapeMismatchException>(() => Vec.Wrap(zeros(2, 3, 4)));

    [Fact]
    public void Describe_ComposedMlpListsTheLedgerItemsItRestsOn()
    {
        var init = Init.Float64Cpu(3);
        var mlp = Compose.Named(ItemId.mlp_has_vjp, "mlp",
            new Dense(8, 6, init).Then(Activations.Relu<Vec>()).Then(new Dense(6, 3, init)));
        var items = mlp.Describe().Items();
        Assert.Equal(
            [ItemId.mlp_has_vjp, ItemId.vjp_comp, ItemId.dense_has_vjp, ItemId.dense_weight_grad_correct,
             ItemId.dense_bias_grad_correct, ItemId.relu_has_vjp],
            items);
        // The chain of three prints as one node with three steps.
        Assert.Equal(3, mlp.Describe().Children.Single().Children.Count);
    }

    [Fact]
    public void FanIn_AccumulatesBothPathsInOnePullback()
    {
        using var scope = NewDisposeScope();
        var init = Init.Float64Cpu(4);
        var twice = Compose.Add(Compose.Identity<Vec>(), Compose.Identity<Vec>());
        var x = init.Point(2, 3);
        var (y, pullback) = twice.Forward(new Vec(x));
        var dy = init.Point(2, 3);
        Assert.True((y.T - x.Mul(2)).abs().max().item<double>() == 0);
        Assert.True((pullback(new Vec(dy)).T - dy.Mul(2)).abs().max().item<double>() == 0);
    }

    [Fact]
    public void Parameters_AreListedInForwardOrderWithTheirItems()
    {
        var init = Init.Float64Cpu(5);
        var net = new Dense(2, 3, init, "a").Then(new Dense(3, 1, init, "b"));
        Assert.Equal(["a.W", "a.b", "b.W", "b.b"], net.Parameters.Select(p => p.Name));
        Assert.Equal(ItemId.dense_weight_grad_correct, net.Parameters.First().Item);
    }

    [Fact]
    public void Walk_FindsBatchNormsInTheBooksCollectionOrder()
    {
        var block = Blocks.BasicBlock(2, 4, 2, Init.Float64Cpu(6));
        Assert.Equal(["basic.conv1.bn 4", "basic.conv2.bn 4", "basic.proj.bn 4"],
            block.Walk().OfType<BatchNorm>().Select(b => b.Label));
    }

    [Fact]
    public void To_MovesEveryParameterToTheRequestedDtype()
    {
        using var scope = NewDisposeScope();
        var net = new Dense(2, 3, Init.Float64Cpu(7)).Then(new Dense(3, 1, Init.Float64Cpu(8)));
        net.To(ScalarType.Float32, CPU);
        Assert.All(net.Parameters, p => Assert.Equal(ScalarType.Float32, p.Value.dtype));
        Assert.All(net.Parameters, p => Assert.Equal(ScalarType.Float32, p.Grad.dtype));
        Assert.Equal(ScalarType.Float32, net.Apply(new Vec(ones(4, 2))).T.dtype);
    }
}
