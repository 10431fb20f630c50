using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using static LeanMlirVerify.FiniteDifference.Vjp.KernelVsMath.KernelMath;
using static TorchSharp.torch;
using LeanMlirVerify.Calculus.Derivations;

namespace LeanMlirVerify.FiniteDifference.Vjp.KernelVsMath;

/// <summary>
/// The transformer compositions that train (items 76–81: TransformerBlocks, GELU in its tanh form) against the closed
/// forms composed from the book's per-layer formulas, at a batch of token matrices, every parameter set to the
/// catalog's point. Items with a GELU run on the catalog's "GELU tanh" instances (the function that trains); the erf
/// instances are the ledger's function, checked symbolically. The attention sublayer has no GELU: every instance.
/// </summary>
public class TransformerCompositeKernelVsMathTests
{
    static readonly Batching Tokens = Batching.Of("X", "dY");

    static bool Tanh(string size) => size.Contains("GELU tanh", StringComparison.Ordinal);

    /// <summary>(tokens, width, MLP width, heads, depth) of each instance, read from its size label as the catalog writes it.</summary>
    static (long N, long D, long F, long H, int Depth) Sizes(string item, int k, long hidden)
    {
        string size = DerivationCatalog.Find(item).Instances[k].Size;
        long Read(string key, long otherwise)
        {
            int at = size.IndexOf(key + "=", StringComparison.Ordinal);
            return at < 0 ? otherwise : long.Parse(new string(size[(at + key.Length + 1)..].TakeWhile(char.IsDigit).ToArray()));
        }
        int depth = size.StartsWith("depth 2", StringComparison.Ordinal) ? 2 : 1;
        return (Read("n", 0), Read("D", 0), Read("F", hidden), Read("H", 1), depth);
    }

    /// <summary>
    /// Sets every parameter of the rule to the point: the catalog's block tensors by the netspec names (blk, blk0, blk1,
    /// mlp, final_ln), the attention's q, k, v biases (absent from the book's block) to zero.
    /// </summary>
    static T At<T>(T rule, Point p, int depth) where T : IVjpNode
    {
        using var noGrad = no_grad();
        foreach (var q in rule.Parameters)
        {
            string block = q.Name[..q.Name.IndexOf('.')];
            string prefix = block.StartsWith("blk", StringComparison.Ordinal) && depth > 1 ? $"b{block[3..]}." : "";
            string rest = q.Name[(block.Length + 1)..];
            string? name = rest switch
            {
                "ln1.γ" => "ln1.g", "ln1.β" => "ln1.b", "ln2.γ" => "ln2.g", "ln2.β" => "ln2.b",
                "attn.q.W" => "Wq", "attn.k.W" => "Wk", "attn.v.W" => "Wv", "attn.o.W" => "Wo", "attn.o.b" => "bo",
                "attn.q.b" or "attn.k.b" or "attn.v.b" => null,
                "fc1.W" or "mlp.fc1.W" => "W1", "fc1.b" or "mlp.fc1.b" => "b1",
                "fc2.W" or "mlp.fc2.W" => "W2", "fc2.b" or "mlp.fc2.b" => "b2",
                "γ" when block == "final_ln" => "lnf.g", "β" when block == "final_ln" => "lnf.b",
                _ => throw new InvalidOperationException($"no catalog tensor for parameter {q.Name}"),
            };
            if (name is null) q.Value.zero_();
            else q.Value.copy_(p.Get(block == "final_ln" ? name : prefix + name, q.Value.shape));
        }
        return rule;
    }

    static double[] Pull(HasVjp<Mat, Mat> rule, Point p, long n, long d) =>
        Values(rule.Forward(new Mat(p.Stack("X", n, d))).pullback(new Mat(p.Stack("dY", n, d))).T);

    static readonly Init Init = Init.Float64Cpu(1);

    [Fact, Evidence(ItemId.transformerMlp_has_vjp_mat, EvidenceKind.KernelVsMath)]
    public void TransformerMlp_TanhGelu_KernelEqualsClosedForm() => AssertAll(ItemId.transformerMlp_has_vjp_mat, Tokens, (p, k) =>
    {
        var (n, d, f, _, _) = Sizes(ItemId.transformerMlp_has_vjp_mat, k, 0);
        return Pull(At(TransformerBlocks.Mlp(d, f, Init), p, 1), p, n, d);
    }, instances: Tanh);

    [Fact, Evidence(ItemId.transformerAttnSublayer_has_vjp_mat, EvidenceKind.KernelVsMath)]
    public void AttentionSublayer_KernelEqualsClosedForm() => AssertAll(ItemId.transformerAttnSublayer_has_vjp_mat, Tokens, (p, k) =>
    {
        var (n, d, _, h, _) = Sizes(ItemId.transformerAttnSublayer_has_vjp_mat, k, 2);
        return Pull(At(TransformerBlocks.AttentionSublayer(d, h, Init), p, 1), p, n, d);
    });

    [Fact, Evidence(ItemId.transformerMlpSublayer_has_vjp_mat, EvidenceKind.KernelVsMath)]
    public void MlpSublayer_TanhGelu_KernelEqualsClosedForm() => AssertAll(ItemId.transformerMlpSublayer_has_vjp_mat, Tokens, (p, k) =>
    {
        var (n, d, f, _, _) = Sizes(ItemId.transformerMlpSublayer_has_vjp_mat, k, 0);
        return Pull(At(TransformerBlocks.MlpSublayer(d, f, Init), p, 1), p, n, d);
    }, instances: Tanh);

    [Fact, Evidence(ItemId.transformerBlock_has_vjp_mat, EvidenceKind.KernelVsMath)]
    public void Block_TanhGelu_KernelEqualsClosedForm() => AssertAll(ItemId.transformerBlock_has_vjp_mat, Tokens, (p, k) =>
    {
        var (n, d, f, h, _) = Sizes(ItemId.transformerBlock_has_vjp_mat, k, 0);
        return Pull(At(TransformerBlocks.Block(d, h, f, Init), p, 1), p, n, d);
    }, instances: Tanh);

    // Towers and bodies: the catalog's hidden width is 2 (its instances do not print F).
    [Fact, Evidence(ItemId.transformerTower_has_vjp_mat, EvidenceKind.KernelVsMath)]
    public void Tower_TanhGelu_KernelEqualsClosedForm() => AssertAll(ItemId.transformerTower_has_vjp_mat, Tokens, (p, k) =>
    {
        var (n, d, f, h, depth) = Sizes(ItemId.transformerTower_has_vjp_mat, k, 2);
        return Pull(At(TransformerBlocks.Tower(d, h, f, depth, Init), p, depth), p, n, d);
    }, instances: Tanh);

    [Fact, Evidence(ItemId.vit_body_has_vjp_mat, EvidenceKind.KernelVsMath)]
    public void VitBody_TanhGelu_KernelEqualsClosedForm() => AssertAll(ItemId.vit_body_has_vjp_mat, Tokens, (p, k) =>
    {
        var (n, d, f, h, depth) = Sizes(ItemId.vit_body_has_vjp_mat, k, 2);
        return Pull(At(TransformerBlocks.Body(d, h, f, depth, Init), p, depth), p, n, d);
    }, instances: Tanh);

    [Fact]
    public void TheTrainedBlockAgainstTheErfClosedForm_IsReportedDiffering()
    {
        // The erf instance of the same sizes: the trained block (tanh GELU) is not that function's kernel.
        var r = Compare(ItemId.transformerBlock_has_vjp_mat, 1, Tokens, (p, k) =>
        {
            var (n, d, f, h, _) = Sizes(ItemId.transformerBlock_has_vjp_mat, k, 0);
            return Pull(At(TransformerBlocks.Block(d, h, f, Init), p, 1), p, n, d);
        });
        Assert.True(r.MaxRelative > 1e-8, $"the tanh block passed as the erf block's kernel: {r}");
    }
}
