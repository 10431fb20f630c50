using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Training.Twin;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using Xunit.Abstractions;

namespace LeanMlirVerify.Oracle.Rules;

/// <summary>
/// The vector-level combinators no block case reaches (identity, additive and multiplicative fan-in of two dense
/// paths) and the matrix flatten, against autograd of the plain tensor expressions; float32 c = 4, n = fan-in.
/// </summary>
[Collection(OracleCollection.Name)]
public class CombinatorOracleTests(ITestOutputHelper output)
{
    const long B = 3, In = 5, Out = 4;

    static Vec X(Init init) => new(init.Point(B, In));

    [Fact, Evidence(ItemId.identity_has_vjp, EvidenceKind.Oracle)]
    public void Identity_CotangentMatchesAutograd() =>
        OracleHarness.Check(init => new OracleCase<Vec, Vec>(Compose.Identity<Vec>(), (x, _) => x, X(init)), 0, 1, output);

    [Fact, Evidence(ItemId.biPath_has_vjp, EvidenceKind.Oracle)]
    public void AdditiveFanIn_DenseAndIdentity_CotangentsMatchAutograd() =>
        OracleHarness.Check(init => new OracleCase<Vec, Vec>(Compose.Add(new Dense(In, In, init, "fc"), Compose.Identity<Vec>()),
            (x, p) => TwinOps.Dense(x, p[0], p[1]).Add(x), X(init)), 4, Math.Max(B, In), output);

    [Fact, Evidence(ItemId.elemwiseProduct_has_vjp, EvidenceKind.Oracle)]
    public void MultiplicativeFanIn_TwoDensePaths_CotangentsMatchAutograd() =>
        OracleHarness.Check(init => new OracleCase<Vec, Vec>(Compose.Multiply(new Dense(In, Out, init, "f"), new Dense(In, Out, init, "g")),
            (x, p) => TwinOps.Dense(x, p[0], p[1]) * TwinOps.Dense(x, p[2], p[3]), X(init)), 4, Math.Max(B, In), output);

    [Fact, Evidence(ItemId.pdiv_reindex, EvidenceKind.Oracle)]
    public void FlattenMatrix_CotangentMatchesAutograd() =>
        OracleHarness.Check(init => new OracleCase<Mat, Vec>(MatrixKit.FlattenMat(), (x, _) => x.flatten(1), new Mat(init.Point(B, 4, 6))),
            0, 1, output);
}
