using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.Rules;

/// <summary>
/// ViT patch embedding (item 70): a p×p convolution with stride p (the conv rule, items 39–41; with H, W multiples
/// of p its SAME padding is zero; otherwise the token count misses the positional table and the last step throws),
/// the feature map read as tokens row-major over (ph, pw) (a reindex and a transpose, item 24), then
/// <see cref="ClsAndPositions"/>. Image [B, ic, H, W] → tokens [B, N+1, D], N = (H/p)·(W/p).
/// </summary>
public static class PatchEmbed
{
    /// <summary>From given tensors: kernel [D, ic, p, p], bias [D], CLS [D], positions [N+1, D].</summary>
    public static HasVjp<Tensor3, Mat> Create(Tensor kernel, Tensor bias, Tensor cls, Tensor positions, string name = "pe")
    {
        long dim = kernel.shape[0], patch = kernel.shape[2];
        var conv = new Conv2d(kernel, bias, stride: patch, name: $"{name}.conv");
        var tokens = conv.Then(Layout.PositionsAsColumns()).Then(MatrixKit.Transpose());
        return Compose.Named(ItemId.patchEmbed_flat_has_vjp,
            $"{name} {kernel.shape[1]}→{dim} p{patch} n{positions.shape[0] - 1}",
            tokens.Then(new ClsAndPositions(cls, positions, name)));
    }

    /// <summary>The netspec's initialisation: He kernel (fan-in ic·p²), zero bias and CLS, positions σ = √(2/(nP+1)).</summary>
    public static HasVjp<Tensor3, Mat> Create(long ic, long dim, long patch, long patches, Init init, string name = "pe") =>
        Create(init.He([dim, ic, patch, patch], ic * patch * patch), init.Zeros(dim), init.Zeros(dim),
            init.He([patches + 1, dim], patches + 1), name);
}

/// <summary>
/// Tokens [B, N, D] ↦ [cls; tokens] + pos, [B, N+1, D] (the last step of item 70). dx = dy without row 0 (the CLS
/// row does not depend on x); dcls = Σ_batch dy[:, 0]; dpos = Σ_batch dy.
/// </summary>
public sealed class ClsAndPositions : HasVjp<Mat, Mat>
{
    public ClsAndPositions(Tensor cls, Tensor positions, string name = "pe")
        : base(ItemId.patchEmbed_flat_has_vjp, $"{name} CLS + positions")
    {
        Shapes.Require(positions, [-1, cls.shape[0]], Culprit, "positional table");
        Cls = Own(new Parameter($"{name}.cls", ItemId.patchEmbed_flat_has_vjp, cls));
        Positions = Own(new Parameter($"{name}.pos", ItemId.patchEmbed_flat_has_vjp, positions));
    }

    public Parameter Cls { get; }
    public Parameter Positions { get; }

    protected override void CheckInput(Mat x) =>
        Shapes.Require(x.T, [-1, Positions.Value.shape[0] - 1, Cls.Value.shape[0]], Culprit, "patch tokens");

    protected override (Mat y, Pullback<Mat, Mat> pullback) Run(Mat x)
    {
        var cls = Cls.Value.view(1, 1, -1).expand(x.T.shape[0], 1, -1);
        return (new Mat(cat([cls, x.T], 1).Add(Positions.Value)), dy =>
        {
            Cls.Accumulate(dy.T.select(1, 0).sum(0L), Culprit);
            Positions.Accumulate(dy.T.sum(0L), Culprit);
            return new Mat(dy.T.narrow(1, 1, x.T.shape[1]).clone());
        });
    }
}
