using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary;

/// <summary>How a spec meets Fashion-MNIST-shaped input (1×28×28, 10 classes).</summary>
public enum FitKind { AsIs, Variant, No }

/// <summary>The verdict; <see cref="Spec"/> is the spec to train (the original or the variant), null when it does not fit.</summary>
public sealed record Fit(FitKind Kind, NetSpec? Spec, IReadOnlyList<string> Changes, string? Reason);

/// <summary>
/// "Trainable here": every constructor a spec uses has checked rules (the 15 codegen-backed ones, facts §2.7) and its
/// shapes chain under the forward rules (<see cref="ShapeInference"/>) from its own input size. Bestiary input sizes are
/// metadata in the original, so "not trainable" says the spec is an accounting fixture, not that it is wrong.
/// </summary>
public static class Trainability
{
    /// <summary>Null when the spec is trainable here; otherwise the constructors or the shape that stop it.</summary>
    public static string? WhyNot(NetSpec spec)
    {
        var unchecked_ = spec.Layers.Select((l, i) => (l, i)).Where(p => !p.l.IsTrainable).ToList();
        if (unchecked_.Count > 0)
        {
            var (first, index) = unchecked_[0];
            return $"no checked rules for {string.Join(", ", unchecked_.Select(p => p.l.Constructor).Distinct())}"
                + $" (first: layer {index}, {first.Compact()})";
        }
        return ShapeProblem(spec) is { } e ? $"layer {e.LayerIndex} ({e.Layer?.Compact()}): {e.Problem}" : null;
    }

    public static bool IsTrainable(NetSpec spec) => WhyNot(spec) is null;

    public const int FashionSide = 28, FashionClasses = 10;

    /// <summary>
    /// Whether the spec trains on 1×28×28 inputs as written, or with the smallest variant that does: the first layer's
    /// input channels set to 1, the input size set to 28×28, patch counts and dense fan-ins re-derived from the shapes,
    /// and a head narrower than 10 classes widened to 10. Every changed layer is listed. A spec that opens with a dense
    /// layer takes a vector (a latent, tokens, features), not an image; it fits only when that vector is 784 wide.
    /// </summary>
    public static Fit FashionMnist(NetSpec spec)
    {
        if (spec.Layers.FirstOrDefault(l => !l.IsTrainable) is { } bad)
            return new(FitKind.No, null, [], $"no checked rules for {bad.Constructor}");
        if (spec.Layers[0] is Dense { FanIn: not FashionSide * FashionSide } first)
            return new(FitKind.No, null, [], $"takes a flat [{first.FanIn}] input, not an image");
        var layers = spec.Layers.ToList();
        layers[0] = ((TrainableLayer)layers[0]).OpeningOn(1);
        // Re-derive one layer per round from the shape its predecessors produce; each round fixes the first misfit.
        NetSpec Fitted() => spec with { Layers = [.. layers], ImageH = FashionSide, ImageW = FashionSide };
        for (var problem = ShapeProblem(Fitted()); problem is not null; problem = ShapeProblem(Fitted()))
        {
            int i = problem.LayerIndex;
            var x = i == 0 ? ShapeInference.InputShape(Fitted()) : ShapeInference.Infer(Fitted() with { Layers = layers[..i] })[^1];
            Layer? refit = ((TrainableLayer)layers[i]).FitTo(x);
            if (refit is null) return new(FitKind.No, null, [], $"layer {i} ({layers[i].Compact()}): {problem.Problem}");
            layers[i] = refit;
        }
        if (layers[^1] is not Dense head)
            return new(FitKind.No, null, [], $"ends in {layers[^1].Compact()}, not a dense classifier head");
        if (head.FanOut < FashionClasses) layers[^1] = head with { FanOut = FashionClasses };
        var changes = new List<string>();
        if (spec.ImageH != FashionSide || spec.ImageW != FashionSide)
            changes.Add($"input {spec.ImageH}×{spec.ImageW} → {FashionSide}×{FashionSide}");
        changes.AddRange(layers.Select((l, i) => (l, i)).Where(p => p.l != spec.Layers[p.i])
            .Select(p => $"layer {p.i}: {spec.Layers[p.i].Compact()} → {p.l.Compact()}"));
        return changes.Count == 0 ? new(FitKind.AsIs, spec, [], null) : new(FitKind.Variant, Fitted(), changes, null);
    }

    static SpecException? ShapeProblem(NetSpec spec)
    {
        try { ShapeInference.Infer(spec); return null; }
        catch (SpecException e) { return e; }
    }
}
