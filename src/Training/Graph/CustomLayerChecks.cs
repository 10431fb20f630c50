using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.GradChecks;
using static TorchSharp.torch;

namespace LeanMlirVerify.Training.Graph;

/// <summary>One custom layer's rule checked by <see cref="GradCheck.Rule{TIn, TOut}(HasVjp{TIn, TOut}, Tensor,
/// GradCheckOptions?)"/>.</summary>
public sealed record CustomLayerCheck(int Index, CustomLayer Layer, string Point, GradCheckResult Result)
{
    public bool Passed => Result.Passed;

    public string Summary =>
        $"layer {Index} (custom {Layer.Compact()}): GradCheck.Rule at a float64 point {Point}: "
        + (Passed ? $"passed, {Result.Comparisons.Count} comparisons"
            : $"FAILED, {Result.Failures.Count} of {Result.Comparisons.Count} comparisons");

    /// <summary>Why a net with this layer must not train: the layer, then the check's own message (operand, element, values).</summary>
    public string Refusal =>
        $"layer {Index} (custom {Layer.Compact()}): its backward fails GradCheck.Rule at a float64 point {Point}, so the net is not "
        + $"trained (a wrong backward would train silently):\n{Result.Message}";
}

/// <summary>
/// The check every rule written outside the library gets before it trains or stands in for the autograd twin: its pullback
/// (dx and every parameter cotangent) against float64 central differences, at a seeded point of the shape it takes in the
/// net, with images shrunk to at most 4×4 when its shape rule takes that (the full Jacobian then stays small and fast).
/// </summary>
public static class CustomLayerChecks
{
    public static IReadOnlyList<CustomLayerCheck> Run(NetSpec spec)
    {
        if (!spec.Layers.OfType<CustomLayer>().Any()) return [];
        var shapes = ShapeInference.Infer(spec);
        var checks = new List<CustomLayerCheck>();
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            if (spec.Layers[i] is not CustomLayer layer) continue;
            var x = Small(layer, i == 0 ? ShapeInference.InputShape(spec) : shapes[i - 1]);
            using var scope = NewDisposeScope();
            var init = Init.Float64Cpu(1000 + i);
            var rule = layer.Impl.Rule(init, $"L{i}");
            try
            {
                long[] dims = x.Kind switch
                {
                    ShapeKind.Image => [2, x.A, x.B, x.C],
                    ShapeKind.Flat => [2, x.A],
                    _ => throw new NotSupportedException($"layer {i} (custom {layer.TypeName}): custom rules on tokens are not supported"),
                };
                var point = init.Point(dims);
                var result = layer.ImageRule(rule) is { } image
                    ? GradCheck.Rule(image, point)
                    : GradCheck.Rule((HasVjp<Vec, Vec>)rule, point);
                checks.Add(new CustomLayerCheck(i, layer, $"2×{x}", result));
            }
            finally
            {
                // The rule's parameters live outside every dispose scope (as a model's do): this throwaway rule frees its own.
                foreach (var p in rule.Parameters)
                {
                    p.Value.Dispose();
                    p.Grad.Dispose();
                }
            }
        }
        return checks;
    }

    static Shape Small(CustomLayer layer, Shape x)
    {
        if (x.Kind != ShapeKind.Image) return x;
        var small = Shape.Image(x.A, Math.Min(x.B, 4), Math.Min(x.C, 4));
        return layer.Next(small) is null ? x : small;
    }
}
