using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Training.Twin;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using Xunit.Abstractions;

namespace LeanMlirVerify.Oracle.Rules;

/// <summary>Dense y = x·W + b, W [fanIn, fanOut]: dx, dW, db against autograd. Reductions: fanOut (dx), batch (dW, db).</summary>
[Collection(OracleCollection.Name)]
public class DenseOracleTests(ITestOutputHelper output)
{
    const long Batch = 8, FanIn = 32, FanOut = 16;

    internal static OracleCase<Vec, Vec> Case(Init init) =>
        new(new Dense(init.Normal([FanIn, FanOut], 0.3), init.Normal([FanOut]), "fc"),
            (x, p) => TwinOps.Dense(x, p[0], p[1]), new Vec(init.Point(Batch, FanIn)));

    void CheckTensor(string name)
    {
        var (f64, f32) = OracleHarness.Check(Case, c: 4, n: Math.Max(Batch, FanOut), output);
        Assert.True(f64.Get(name).MaxRel <= OracleHarness.Float64Bound, f64.Get(name).ToString());
        Assert.True(f32.Get(name).Finite, f32.Get(name).ToString());
    }

    [Fact, Evidence(ItemId.dense_has_vjp, EvidenceKind.Oracle)]
    public void Dense_InputCotangentMatchesAutograd() => CheckTensor("dx");

    [Fact, Evidence(ItemId.dense_weight_grad_correct, EvidenceKind.Oracle)]
    public void Dense_WeightCotangentMatchesAutograd() => CheckTensor("dfc.W");

    [Fact, Evidence(ItemId.dense_bias_grad_correct, EvidenceKind.Oracle)]
    public void Dense_BiasCotangentMatchesAutograd() => CheckTensor("dfc.b");

    [Fact, Evidence(ItemId.mlp_has_vjp, EvidenceKind.Oracle)]
    public void Mlp_AllCotangentsMatchAutograd() =>
        OracleHarness.Check(init => new OracleCase<Vec, Vec>(Blocks.Mlp([20, 12, 8, 5], init),
            (x, p) => TwinOps.Dense(TwinOps.Relu(TwinOps.Dense(TwinOps.Relu(TwinOps.Dense(x, p[0], p[1])), p[2], p[3])), p[4], p[5]),
            new Vec(init.Point(6, 20))), c: 4, n: 20, output);
}
