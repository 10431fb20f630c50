using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Training.Comparisons;
using LeanMlirVerify.Training.Twin;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace LeanMlirVerify.Oracle.Rules;

/// <summary>
/// Batch norm pieces against libtorch's batch_norm (its own fused backward) and plain autograd formulas.
/// float32 bound: 16·eps32·√n, n = B·H·W: the training pullback subtracts two channel sums of n terms from n·g,
/// a cancellation both sides perform in different orders.
/// </summary>
[Collection(OracleCollection.Name)]
public class BatchNormOracleTests(ITestOutputHelper output)
{
    const long B = 4, C = 3, H = 5, W = 6, N = B * H * W;

    static Tensor Ones(Tensor x) => ones(x.shape[1], x.dtype, x.device);
    static Tensor Zeros(Tensor x) => zeros(x.shape[1], x.dtype, x.device);

    static Tensor3 Input(Init init) => new(init.Normal([B, C, H, W], 2.0).Add(0.5));

    [Theory, Evidence(ItemId.bnNormalize_has_vjp, EvidenceKind.Oracle)]
    [InlineData(true), InlineData(false)]
    public void BnNormalize_InputCotangentMatchesAutograd(bool training) =>
        OracleHarness.Check(init =>
        {
            var rule = new BnNormalize(C) { Training = training };
            var mean = init.Normal([C]);
            var variance = init.Normal([C]).abs().Add(0.3);
            if (!training) rule.SetRunningStats(mean, variance, 1);
            TwinForward twin = training
                ? (x, _) => TwinOps.BatchNormTrain(x, Ones(x), Zeros(x))
                : (x, _) => TwinOps.BatchNormEval(x, Ones(x), Zeros(x), mean, variance);
            return new OracleCase<Tensor3, Tensor3>(rule, twin, Input(init));
        }, c: 16, n: N, output);

    [Fact, Evidence(ItemId.bnAffine_has_vjp, EvidenceKind.Oracle)]
    public void BnAffine_CotangentsMatchAutograd() =>
        OracleHarness.Check(init => new OracleCase<Tensor3, Tensor3>(new BnAffine(init.Normal([C]), init.Normal([C])),
            (x, p) => (x * p[0].view(1, -1, 1, 1)).Add(p[1].view(1, -1, 1, 1)), Input(init)), c: 4, n: N, output);

    [Theory, Evidence(ItemId.bn_has_vjp, EvidenceKind.Oracle)]
    [InlineData(true, BnStrategy.Auto), InlineData(false, BnStrategy.Auto)]
    [InlineData(true, BnStrategy.Composed), InlineData(true, BnStrategy.Fused), InlineData(true, BnStrategy.Native)]
    public void BatchNorm_CotangentsMatchAutograd(bool training, BnStrategy strategy) =>
        OracleHarness.Check(init =>
        {
            var rule = new BatchNorm(init.Normal([C]), init.Normal([C]), strategy: strategy);
            var mean = init.Normal([C]);
            var variance = init.Normal([C]).abs().Add(0.3);
            if (!training) rule.Normalize.SetRunningStats(mean, variance, 1);
            rule.Training = training;
            TwinForward twin = training
                ? (x, p) => TwinOps.BatchNormTrain(x, p[0], p[1])
                : (x, p) => TwinOps.BatchNormEval(x, p[0], p[1], mean, variance);
            return new OracleCase<Tensor3, Tensor3>(rule, twin, Input(init));
        }, c: 16, n: N, output);

    [Fact, Evidence(ItemId.pdiv_bnCentered, EvidenceKind.Oracle)]
    public void BnCentered_InputCotangentMatchesAutograd() =>
        OracleHarness.Check(init => new OracleCase<Tensor3, Tensor3>(new BnCentered(),
            (x, _) => TwinOps.BnCentered(x), Input(init)), c: 4, n: N, output);

    [Fact, Evidence(ItemId.pdiv_bnIstdBroadcast, EvidenceKind.Oracle)]
    public void BnIstdBroadcast_InputCotangentMatchesAutograd() =>
        OracleHarness.Check(init => new OracleCase<Tensor3, Tensor3>(new BnIstdBroadcast(),
            (x, _) => TwinOps.BnIstdBroadcast(x), Input(init)), c: 16, n: N, output);
}
