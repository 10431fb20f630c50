using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Training.Twin;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace LeanMlirVerify.Oracle.Rules;

/// <summary>
/// The transformer compositions training runs (items 73, 74, 76–81, the encoder and a whole small ViT) against
/// <see cref="TwinBlocks"/>, every parameter cotangent in the netspec's order, parameters moved off their initial
/// constants. GELU is the tanh form on both sides (libtorch's kernel on the twin's). Each tensor is held to its own
/// scale, except attention's key biases, whose gradient is zero in exact arithmetic (softmax ignores a shift shared by
/// a row): those are measured against the case's largest gradient entry. float32 bound 64·eps32·√n with n = B·tokens
/// (LayerNorms in a chain, as BN blocks); measured worst 1.6e-6 against 3.0e-5.
/// </summary>
[Collection(OracleCollection.Name)]
public class TransformerBlockOracleTests(ITestOutputHelper output)
{
    const long B = 3, N = 5, D = 6, Heads = 2, Hidden = 8;
    const double C32 = 64;

    static Mat Tokens(Init init) => new(init.Point(B, N, D));

    void Check<TOut>(Func<Init, HasVjp<Mat, TOut>> rule, Func<Tensor, ParamCursor, Tensor> twin, double c = C32)
        where TOut : IValue<TOut> =>
        OracleHarness.Check(init => new OracleCase<Mat, TOut>(OracleParameters.Spread(rule(init), init), (x, p) =>
        {
            var cursor = new ParamCursor(p, "twin transformer");
            var y = twin(x, cursor);
            cursor.RequireEnd();
            return y;
        }, Tokens(init)), c, B * N, output, vanishing: KeyBias);

    static bool KeyBias(string tensor) => tensor.EndsWith(".k.b", StringComparison.Ordinal);

    [Fact, Evidence(ItemId.dense_per_token_has_vjp_mat, EvidenceKind.Oracle)]
    public void DensePerToken_CotangentsMatchAutograd() =>
        Check(init => TransformerBlocks.DensePerToken(D, Hidden, init, "fc"),
            (x, p) => TwinOps.Dense(x, p.Next("fc kernel", D, Hidden), p.Next("fc bias", Hidden)), c: 4);

    [Fact, Evidence(ItemId.gelu_per_token_has_vjp_mat, EvidenceKind.Oracle)]
    public void GeluPerToken_TanhForm_CotangentMatchesAutograd() =>
        Check(_ => TransformerBlocks.GeluPerToken(), (x, _) => TwinOps.Gelu(x), c: 4);

    [Fact, Evidence(ItemId.transformerMlp_has_vjp_mat, EvidenceKind.Oracle)]
    public void TransformerMlp_CotangentsMatchAutograd() =>
        Check(init => TransformerBlocks.Mlp(D, Hidden, init), (x, p) => TwinBlocks.Mlp(x, p, D, Hidden), c: 4);

    [Fact, Evidence(ItemId.transformerAttnSublayer_has_vjp_mat, EvidenceKind.Oracle)]
    public void AttentionSublayer_CotangentsMatchAutograd() =>
        Check(init => TransformerBlocks.AttentionSublayer(D, Heads, init), (x, p) => TwinBlocks.AttentionSublayer(x, p, D, Heads));

    [Fact, Evidence(ItemId.transformerMlpSublayer_has_vjp_mat, EvidenceKind.Oracle)]
    public void MlpSublayer_CotangentsMatchAutograd() =>
        Check(init => TransformerBlocks.MlpSublayer(D, Hidden, init), (x, p) => TwinBlocks.MlpSublayer(x, p, D, Hidden));

    [Fact, Evidence(ItemId.transformerBlock_has_vjp_mat, EvidenceKind.Oracle)]
    public void Block_CotangentsMatchAutograd() =>
        Check(init => TransformerBlocks.Block(D, Heads, Hidden, init), (x, p) => TwinBlocks.TransformerBlock(x, p, D, Heads, Hidden));

    [Fact, Evidence(ItemId.transformerTower_has_vjp_mat, EvidenceKind.Oracle)]
    public void TowerOfTwoBlocks_CotangentsMatchAutograd() =>
        Check(init => TransformerBlocks.Tower(D, Heads, Hidden, 2, init), (x, p) =>
            TwinBlocks.TransformerBlock(TwinBlocks.TransformerBlock(x, p, D, Heads, Hidden, "B0."), p, D, Heads, Hidden, "B1."));

    [Fact, Evidence(ItemId.vit_body_has_vjp_mat, EvidenceKind.Oracle)]
    public void VitBody_CotangentsMatchAutograd() =>
        Check(init => TransformerBlocks.Body(D, Heads, Hidden, 2, init), (x, p) => TwinBlocks.TransformerBody(x, p, D, Heads, Hidden, 2));

    [Fact, Evidence(ItemId.vit_body_has_vjp_mat, EvidenceKind.Oracle)]
    public void Encoder_BodyThenClsToken_CotangentsMatchAutograd() =>
        Check(init => TransformerBlocks.Encoder(D, Heads, Hidden, 1, init),
            (x, p) => TwinBlocks.TransformerEncoder(x, p, D, Heads, Hidden, 1));

    [Fact, Evidence(ItemId.patchEmbed_flat_has_vjp, EvidenceKind.Oracle)]
    public void SmallVit_PatchEmbedEncoderAndHead_CotangentsMatchAutograd()
    {
        const long ic = 2, patch = 2, side = 4, patches = 4, classes = 3;
        OracleHarness.Check(init => new OracleCase<Tensor3, Vec>(
            OracleParameters.Spread(TransformerBlocks.Vit(ic, side, patch, D, Heads, Hidden, 1, classes, init), init), (x, p) =>
            {
                var cursor = new ParamCursor(p, "twin vit");
                var tokens = TwinBlocks.PatchEmbed(x, cursor, ic, D, patch, patches);
                var cls = TwinBlocks.TransformerEncoder(tokens, cursor, D, Heads, Hidden, 1);
                var y = TwinOps.Dense(cls, cursor.Next("head kernel", D, classes), cursor.Next("head bias", classes));
                cursor.RequireEnd();
                return y;
            }, new Tensor3(init.Point(B, ic, side, side))), C32, B * (patches + 1), output, vanishing: KeyBias);
    }
}
