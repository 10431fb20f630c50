using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace LeanMlirVerify.FiniteDifference.Vjp.Rules;

/// <summary>
/// Consistency check, not evidence for the formula: the max pool's 2×2/2 forward (<see cref="MaxPool.Windows2x2"/>, what
/// the rule runs at that geometry) gives libtorch's max_pool2d_with_indices maxima and indices exactly, so the pullbacks,
/// which route dy by those indices, see the same tie convention. Inputs are small integers (many ties in a window), with
/// −∞ rows and columns as SAME's padding adds them.
/// </summary>
public class MaxPoolTests
{
    /// <summary>"" when both give the same maxima and indices, else what differs and where.</summary>
    static string Mismatch((Tensor Y, Tensor Indices) ours, (Tensor Y, Tensor Indices) kernel)
    {
        if (!ours.Y.shape.SequenceEqual(kernel.Y.shape) || !ours.Indices.shape.SequenceEqual(kernel.Indices.shape))
            return $"shapes [{string.Join(", ", ours.Y.shape)}] vs [{string.Join(", ", kernel.Y.shape)}]";
        var y = ours.Y.ne(kernel.Y).sum().item<long>();
        var i = ours.Indices.ne(kernel.Indices).sum().item<long>();
        return y == 0 && i == 0 ? "" : $"{y} maxima and {i} indices differ";
    }

    static Tensor Plane(ScalarType dtype, long b, long c, long h, long w, int seed, bool padBottomRight)
    {
        var x = randint(-2, 3, [b, c, h, w], ScalarType.Float64, generator: new Generator((ulong)seed)).to_type(dtype);
        return padBottomRight ? F.pad(x, [0, 1, 0, 1], value: double.NegativeInfinity) : x;
    }

    [Theory]
    [InlineData(ScalarType.Float64, 2, 3, 6, 8, false)]
    [InlineData(ScalarType.Float32, 2, 3, 6, 8, false)]
    [InlineData(ScalarType.Float32, 3, 2, 7, 5, true)]
    [InlineData(ScalarType.Float64, 1, 1, 1, 1, true)]
    [InlineData(ScalarType.Float32, 4, 16, 28, 28, false)]
    [Evidence(ItemId.maxPool2_has_vjp3, EvidenceKind.Consistency)]
    public void Windows2x2_GivesMaxPoolWithIndicesMaximaAndIndices(ScalarType dtype, long b, long c, long h, long w, bool padded)
    {
        using var scope = NewDisposeScope();
        var xp = Plane(dtype, b, c, h, w, (int)(b * 100 + h * 10 + w), padded);
        Assert.Equal("", Mismatch(MaxPool.Windows2x2(xp), F.max_pool2d_with_indices(xp, [2, 2], [2, 2])));
    }

    // Negative: the corners scanned column by column (a, c, b, d: the plane transposed) tie-break differently.
    [Fact]
    public void ColumnMajorTieBreaking_IsReportedDiffering()
    {
        using var scope = NewDisposeScope();
        var xp = Plane(ScalarType.Float64, 2, 3, 6, 6, 5, padBottomRight: false);
        var (y, indices) = MaxPool.Windows2x2(xp.transpose(2, 3));
        // Back to the plane's own flat indices: (r, c) of the transposed plane is (c, r) here.
        using var six = 6L.ToScalar();
        var rows = indices.remainder(six);
        var cols = indices.div(six, rounding_mode: RoundingMode.floor);
        var reported = Mismatch((y.transpose(2, 3), rows.mul(six).Add(cols).transpose(2, 3)),
            F.max_pool2d_with_indices(xp, [2, 2], [2, 2]));
        Assert.Matches("^0 maxima and [1-9][0-9]* indices differ$", reported);
    }
}
