using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.Checking;

/// <summary>Book checks 6–15 and 22–24: softmax-CE, the MLP, conv2d, max-pool, the BN pieces, depthwise.</summary>
public static partial class BookChecks
{
    const string ConvSizes = "ic=2, oc=3, 6×6, k=3, pad=1";
    const string DepthwiseSizes = "c=3, 6×6, k=3, pad=1";
    const string BnSizes = "n=5, ε_bn=1e-5";

    static IEnumerable<BookCheck> Cnn()
    {
        yield return new(6, "softmaxCE_grad", ItemId.softmaxCE_grad, "C=5, label=2", () =>
        {
            var c = CheckCase.Of(new SoftmaxCrossEntropy(tensor(new long[] { 2 })), InitFor(6).Point(1, 5), "C=5, label=2");
            return [VjpCheck.Jacobian(c, "softmaxCE_grad")];
        });
        yield return new(7, "mlp_has_vjp", ItemId.mlp_has_vjp, "8→6→4→3, label=1", () =>
        {
            var init = InitFor(7);
            var mlp = Blocks.Mlp([8, 6, 4, 3], init);
            // The book's draws: weights 0.5·N(0,1); hidden biases 0.5·N(0,1) + 1 (away from the ReLU kink).
            foreach (var p in mlp.Parameters) p.Value.copy_(init.Normal(p.Value.shape, 0.5));
            foreach (var p in mlp.Parameters.Where(p => p.Name is "mlp.fc1.b" or "mlp.fc2.b")) p.Value.AddInPlace(1);
            var loss = mlp.Then(new SoftmaxCrossEntropy(tensor(new long[] { 1 })));
            var c = CheckCase.Of(loss, init.Point(1, 8), "8→6→4→3, label=1");
            return [.. VjpCheck.Cotangent(c, ones(1, 1, ScalarType.Float64), "mlp_has_vjp", parameters: false)
                .Select(r => r with { Item = ItemId.mlp_has_vjp })];
        });
        yield return new(8, "conv2d_input_grad", ItemId.conv2d_has_vjp3, ConvSizes, () =>
            [ConvRows(8)[0] with { Check = "conv2d_input_grad" }]);
        yield return new(9, "conv2d_weight_grad", ItemId.conv2d_weight_grad_has_vjp, ConvSizes, () =>
            [Row(ConvRows(9), "∂conv.W", "conv2d_weight_grad", ItemId.conv2d_weight_grad_has_vjp)]);
        yield return new(10, "conv2d_bias_grad", ItemId.conv2d_bias_grad_has_vjp, ConvSizes, () =>
            [Row(ConvRows(10), "∂conv.b", "conv2d_bias_grad", ItemId.conv2d_bias_grad_has_vjp)]);
        yield return new(11, "maxPool2_input_grad", ItemId.maxPool2_has_vjp3, "c=2, 6×6 → 3×3", () =>
        {
            var init = InitFor(11);
            var c = CheckCase.Of(new MaxPool(2, 2), init.Distinct(0.01, 1, 2, 6, 6), "c=2, 6×6 → 3×3");
            return VjpCheck.Cotangent(c, init.Point(1, 2, 3, 3), "maxPool2_input_grad");
        });
        yield return new(12, "pdiv_bnNormalize", ItemId.bnNormalize_has_vjp, BnSizes, () =>
            [VjpCheck.Jacobian(BnCase(12, new BnNormalize(1)), "pdiv_bnNormalize")]);
        yield return new(13, "pdiv_bnCentered", ItemId.pdiv_bnCentered, "n=5", () =>
            [VjpCheck.Jacobian(BnCase(13, new BnCentered()), "pdiv_bnCentered")]);
        yield return new(14, "pdiv_bnIstdBroadcast", ItemId.pdiv_bnIstdBroadcast, BnSizes, () =>
            [VjpCheck.Jacobian(BnCase(14, new BnIstdBroadcast()), "pdiv_bnIstdBroadcast")]);
        yield return new(15, "pdiv_bnAffine", ItemId.pdiv_bnAffine, "n=5, γ=2.3, β=−0.7", () =>
        {
            var affine = new BnAffine(tensor(new[] { 2.3 }), tensor(new[] { -0.7 }));
            return [VjpCheck.Jacobian(BnCase(15, affine), "pdiv_bnAffine", ItemId.pdiv_bnAffine)];
        });
        yield return new(22, "depthwise_input_grad", ItemId.depthwise_has_vjp3, DepthwiseSizes, () =>
            [DepthwiseRows(22, bias: false)[0] with { Check = "depthwise_input_grad" }]);
        yield return new(23, "depthwise_weight_grad", ItemId.depthwise_weight_grad_has_vjp3, DepthwiseSizes, () =>
            [Row(DepthwiseRows(23, bias: false), "∂dw.W", "depthwise_weight_grad", ItemId.depthwise_weight_grad_has_vjp3)]);
        yield return new(24, "depthwise_bias_grad", ItemId.depthwise_bias_grad_has_vjp, DepthwiseSizes, () =>
            [Row(DepthwiseRows(24, bias: true), "∂dw.b", "depthwise_bias_grad", ItemId.depthwise_bias_grad_has_vjp)]);
    }

    /// <summary>The book's conv: x 2×6×6, W 3×2×3×3, b∈R³, stride 1, SAME; rows for x, W, b.</summary>
    static IReadOnlyList<CheckResult> ConvRows(int number)
    {
        var init = InitFor(number);
        var conv = new Conv2d(init.Point(3, 2, 3, 3), init.Point(3), 1);
        return VjpCheck.Cotangent(CheckCase.Of(conv, init.Point(1, 2, 6, 6), ConvSizes), init.Point(1, 3, 6, 6));
    }

    /// <summary>The book's depthwise conv: x 3×6×6, W 3×3×3 (stored [3,1,3,3]), bias only for check 24.</summary>
    static IReadOnlyList<CheckResult> DepthwiseRows(int number, bool bias)
    {
        var init = InitFor(number);
        var conv = new Conv2d(init.Point(3, 1, 3, 3), bias ? init.Point(3) : null, 1, depthwise: true, name: "dw");
        return VjpCheck.Cotangent(CheckCase.Of(conv, init.Point(1, 3, 6, 6), DepthwiseSizes), init.Point(1, 3, 6, 6));
    }

    /// <summary>The BN checks' vector x∈R⁵ as one channel of five samples: [5, 1, 1, 1].</summary>
    static CheckCase BnCase(int number, HasVjp<Tensor3, Tensor3> rule) =>
        CheckCase.Of(rule, InitFor(number).Point(5, 1, 1, 1), "n=5");
}
