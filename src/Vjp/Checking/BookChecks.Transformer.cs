using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.Checking;

/// <summary>Book checks 16–21 and 25: softmax, SDPA wrt Q/K/V, patch embedding, multi-head SDPA, GELU (erf form).</summary>
public static partial class BookChecks
{
    const string SdpaSizes = "n=4 tokens, d=3";

    static IEnumerable<BookCheck> Transformer()
    {
        yield return new(16, "pdiv_softmax", ItemId.pdiv_softmax, "C=5", () =>
            [VjpCheck.Jacobian(CheckCase.Of(new Softmax(), InitFor(16).Point(1, 5), "C=5"), "pdiv_softmax", ItemId.pdiv_softmax)]);
        yield return new(17, "sdpa_back_Q", ItemId.sdpa_back_Q_correct, SdpaSizes, () => SdpaRows(17, "sdpa_back_Q", 0));
        yield return new(18, "sdpa_back_K", ItemId.sdpa_back_K_correct, SdpaSizes, () => SdpaRows(18, "sdpa_back_K", 1));
        yield return new(19, "sdpa_back_V", ItemId.sdpa_back_V_correct, SdpaSizes, () => SdpaRows(19, "sdpa_back_V", 2));
        yield return new(20, "patchEmbed_flat", ItemId.patchEmbed_flat_has_vjp, "ic=2, 4×4, patch 2, D=3, N=4", () =>
        {
            var init = InitFor(20);
            var embed = PatchEmbed.Create(init.Point(3, 2, 2, 2), init.Point(3), init.Point(3), init.Point(5, 3));
            var c = CheckCase.Of(embed, init.Point(1, 2, 4, 4), "ic=2, 4×4, patch 2, D=3, N=4");
            var rows = VjpCheck.Cotangent(c, init.Point(1, 5, 3), "patchEmbed_flat");
            // The book checks the image cotangent only; the parameter rows (W, b, cls, pos) come along.
            return [rows[0] with { Item = ItemId.patchEmbed_flat_has_vjp }, .. rows.Skip(1)];
        });
        yield return new(21, "mhsa_has_vjp_mat", ItemId.mhsa_has_vjp_mat, "H=2 heads, n=4, d_h=3", MultiHeadRows);
        yield return new(25, "pdiv_gelu", ItemId.pdiv_gelu, "n=5", () =>
            [VjpCheck.Jacobian(CheckCase.Of(Activations.GeluErf<Vec>(), InitFor(25).Point(1, 5), "n=5"), "pdiv_gelu")]);
    }

    /// <summary>Single head, Q, K, V ∈ R^{4×3}, cotangent G: the VJP wrt operand 0 (Q), 1 (K) or 2 (V), the others fixed.</summary>
    static IReadOnlyList<CheckResult> SdpaRows(int number, string name, int operand)
    {
        var init = InitFor(number);
        Tensor q = init.Point(4, 3), k = init.Point(4, 3), v = init.Point(4, 3), g = init.Point(1, 4, 3);
        var (rule, x) = operand switch
        {
            0 => (Attention.WrtQ(k, v), q),
            1 => (Attention.WrtK(q, v), k),
            _ => (Attention.WrtV(q, k), v),
        };
        return VjpCheck.Cotangent(CheckCase.Of(rule, x.unsqueeze(0), SdpaSizes), g, name, parameters: false);
    }

    /// <summary>
    /// Q, K, V ∈ R^{2×4×3} (heads × tokens × d_h), packed as columns Q | K | V of one [1, 4, 18] input for the
    /// multi-head rule; one row each for dQ, dK, dV against the FD gradient of ⟨out, G⟩.
    /// </summary>
    static IReadOnlyList<CheckResult> MultiHeadRows()
    {
        const long heads = 2, n = 4, dh = 3;
        var init = InitFor(21);
        Tensor[] qkv = [init.Point(heads, n, dh), init.Point(heads, n, dh), init.Point(heads, n, dh)];
        var x = cat([.. qkv.Select(t => t.permute(1, 0, 2).reshape(1, n, heads * dh))], 2);
        var g = init.Point(1, n, heads * dh);
        var c = CheckCase.Of(Attention.MultiHead(heads, dh), x, "H=2 heads, n=4, d_h=3");
        var claimed = c.Pullback(x, g);
        var fd = tensor(FiniteDifference.Vjp(c.Forward, x, g), float64).view(x.shape);
        string[] names = ["Q", "K", "V"];
        return [.. names.Select((name, i) => FiniteDifference.Compare(ItemId.mhsa_has_vjp_mat, $"mhsa_has_vjp_mat d{name}", c.Sizes,
            FiniteDifference.Values(claimed.narrow(2, i * heads * dh, heads * dh)),
            FiniteDifference.Values(fd.narrow(2, i * heads * dh, heads * dh)), shape: [1, n, heads * dh]))];
    }
}
