using LeanMlirVerify.Calculus.Ledger;
using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.Algebra;

/// <summary>
/// The book's chapter-2 composition kit. Each combinator names its ledger item; fan-in accumulation (the only place
/// two cotangents are added) lives here, never in a rule.
/// </summary>
public static class Compose
{
    /// <summary>g ∘ f (items 10 / 14 / 27 by the rank of the value passed between them).</summary>
    public static HasVjp<TA, TC> Chain<TA, TB, TC>(HasVjp<TA, TB> f, HasVjp<TB, TC> g)
        where TA : IValue<TA> where TB : IValue<TB> where TC : IValue<TC> => new Chain<TA, TB, TC>(f, g);

    /// <summary>f then g, left to right: <c>conv.Then(bn).Then(relu)</c>.</summary>
    public static HasVjp<TA, TC> Then<TA, TB, TC>(this HasVjp<TA, TB> f, HasVjp<TB, TC> g)
        where TA : IValue<TA> where TB : IValue<TB> where TC : IValue<TC> => new Chain<TA, TB, TC>(f, g);

    /// <summary>x ↦ f(x) + g(x) (items 11 / 15 / 28): dx = f's dx + g's dx.</summary>
    public static HasVjp<TA, TB> Add<TA, TB>(HasVjp<TA, TB> f, HasVjp<TA, TB> g)
        where TA : IValue<TA> where TB : IValue<TB> => new AdditiveFanIn<TA, TB>(f, g);

    /// <summary>x ↦ f(x) ⊙ g(x) (item 12); g's value broadcasts over f's trailing dims (an SE gate [B,C] on [B,C,H,W]).</summary>
    public static HasVjp<TA, TB> Multiply<TA, TB, TG>(HasVjp<TA, TB> f, HasVjp<TA, TG> g)
        where TA : IValue<TA> where TB : IValue<TB> where TG : IValue<TG> => new MultiplicativeFanIn<TA, TB, TG>(f, g);

    /// <summary>x ↦ x (items 13 / 16).</summary>
    public static HasVjp<TA, TA> Identity<TA>() where TA : IValue<TA> => new Identity<TA>();

    /// <summary>Claims a ledger item for a composition (residual 51, SE 56, BN 50, MLP 37); no backward code.</summary>
    public static HasVjp<TA, TB> Named<TA, TB>(string item, string label, HasVjp<TA, TB> inner)
        where TA : IValue<TA> where TB : IValue<TB> => new Named<TA, TB>(item, label, inner);

    /// <summary>Ledger item of a rank-indexed family: vector, matrix and 3-tensor variants.</summary>
    internal static string ByRank<T>(string vector, string matrix, string tensor3) where T : IValue<T> =>
        T.Dims switch { 2 => vector, 3 => matrix, _ => tensor3 };
}

sealed class Chain<TA, TB, TC>(HasVjp<TA, TB> f, HasVjp<TB, TC> g)
    : HasVjp<TA, TC>(Compose.ByRank<TB>(ItemId.vjp_comp, ItemId.vjpMat_comp, ItemId.vjp3_comp), "chain")
    where TA : IValue<TA> where TB : IValue<TB> where TC : IValue<TC>
{
    public override IReadOnlyList<IVjpNode> Children => [f, g];

    public override bool FreshOutput => g.FreshOutput;

    public override bool KeepsInput => f.KeepsInput;

    protected override (TC y, Pullback<TA, TC> pullback) Run(TA x) => Run(x, inputCotangent: true);

    // Only the first step sees the chain's input; every later step's dx is the step before it's dy.
    protected override (TC y, Pullback<TA, TC> pullback) Run(TA x, bool inputCotangent)
    {
        var (b, pullbackF) = f.Forward(x, inputCotangent);
        (TC y, Pullback<TB, TC> pullbackG) stepG;
        try
        {
            stepG = g.Forward(b);
        }
        catch (ShapeMismatchException e)
        {
            throw new ShapeMismatchException(
                $"{Culprit}: {f.Culprit} produced {Shapes.Format(b.T)}, which {g.Culprit} cannot take: {e.Message}");
        }
        // b is nobody's once g has read it: released now rather than when the step ends. Never under a fault, whose site
        // keeps each node's y for the mutant to read.
        if (f.FreshOutput && !g.KeepsInput && Fault.Current is null) b.T.Dispose();
        return (stepG.y, dy => pullbackF(stepG.pullbackG(dy)));
    }

    // A long chain prints as one node with its steps, not as a right-leaning ladder.
    public override ItemTree Describe() =>
        new(Item, Label, [.. Children.SelectMany(c => c.Describe() is var d && d.Item == Item && d.Label == Label ? d.Children : [d])]);
}

sealed class AdditiveFanIn<TA, TB>(HasVjp<TA, TB> f, HasVjp<TA, TB> g)
    : HasVjp<TA, TB>(Compose.ByRank<TA>(ItemId.biPath_has_vjp, ItemId.biPathMat_has_vjp, ItemId.biPath3_has_vjp), "add")
    where TA : IValue<TA> where TB : IValue<TB>
{
    public override IReadOnlyList<IVjpNode> Children => [f, g];

    // The sum is a new tensor or f's fresh output summed into; the pullback reads neither.
    public override bool FreshOutput => true;

    protected override (TB y, Pullback<TA, TB> pullback) Run(TA x) => Run(x, inputCotangent: true);

    protected override (TB y, Pullback<TA, TB> pullback) Run(TA x, bool inputCotangent)
    {
        var (yf, pullbackF) = f.Forward(x, inputCotangent);
        var (yg, pullbackG) = g.Forward(x, inputCotangent);
        Shapes.RequireSame(yg.T, yf.T, $"{Culprit}: {g.Culprit} vs {f.Culprit}", "second path's output");
        // Neither pullback reads its path's output, so a fresh one takes the sum (f's, else g's: float addition commutes
        // exactly, so a residual x + F(x) sums into F's) or is released right away: the sum of attention's three column
        // slots then holds one buffer, not five. Never under a fault, whose site keeps each node's y for the mutant to read.
        var reuse = Fault.Current is null;
        Tensor y;
        if (reuse && f.FreshOutput) y = yf.T.AddInPlace(yg.T);
        else if (reuse && g.FreshOutput) y = yg.T.AddInPlace(yf.T);
        else y = yf.T.Add(yg.T);
        if (reuse && f.FreshOutput && g.FreshOutput) yg.T.Dispose();
        return (TB.Wrap(y), dy =>
        {
            var (dxF, dxG) = (pullbackF(dy), pullbackG(dy));
            return inputCotangent ? TA.Wrap(dxF.T.Add(dxG.T)) : default!;
        });
    }
}

sealed class MultiplicativeFanIn<TA, TB, TG>(HasVjp<TA, TB> f, HasVjp<TA, TG> g)
    : HasVjp<TA, TB>(ItemId.elemwiseProduct_has_vjp, "multiply")
    where TA : IValue<TA> where TB : IValue<TB> where TG : IValue<TG>
{
    public override IReadOnlyList<IVjpNode> Children => [f, g];

    protected override (TB y, Pullback<TA, TB> pullback) Run(TA x) => Run(x, inputCotangent: true);

    protected override (TB y, Pullback<TA, TB> pullback) Run(TA x, bool inputCotangent)
    {
        var (yf, pullbackF) = f.Forward(x, inputCotangent);
        var (yg, pullbackG) = g.Forward(x, inputCotangent);
        // The gate broadcasts: pad its shape with trailing 1s to f's rank; each dim must equal f's or be 1.
        var trailing = (int)(yf.T.dim() - yg.T.dim());
        var broadcastShape = yg.T.shape.Concat(Enumerable.Repeat(1L, Math.Max(0, trailing))).ToArray();
        if (trailing < 0 || broadcastShape.Zip(yf.T.shape).Any(p => p.First != p.Second && p.First != 1))
            throw new ShapeMismatchException(
                $"{Culprit}: gate {g.Culprit} gives {Shapes.Format(yg.T)}, " +
                $"which does not broadcast over {f.Culprit}'s {Shapes.Format(yf.T)}");
        var gate = yg.T.view(broadcastShape);
        var reduceDims = broadcastShape.Select((d, i) => (d, i)).Where(p => p.d == 1 && yf.T.shape[p.i] != 1)
            .Select(p => (long)p.i).ToArray();
        return (TB.Wrap(yf.T * gate), dy =>
        {
            var dyF = dy.T * gate;
            var dyG = dy.T * yf.T;
            // Un-broadcast: the gate's cotangent sums over the positions it was copied to.
            if (reduceDims.Length > 0) dyG = dyG.sum(reduceDims, keepdim: true);
            var (dxF, dxG) = (pullbackF(TB.Wrap(dyF)), pullbackG(TG.Wrap(dyG.view(yg.T.shape))));
            return inputCotangent ? TA.Wrap(dxF.T.Add(dxG.T)) : default!;
        });
    }
}

sealed class Identity<TA>() : HasVjp<TA, TA>(
    Compose.ByRank<TA>(ItemId.identity_has_vjp, ItemId.identityMat_has_vjp, ItemId.identity_has_vjp), "identity")
    where TA : IValue<TA>
{
    protected override (TA y, Pullback<TA, TA> pullback) Run(TA x) => (x, dy => dy);
}

sealed class Named<TA, TB>(string item, string label, HasVjp<TA, TB> inner) : HasVjp<TA, TB>(item, label)
    where TA : IValue<TA> where TB : IValue<TB>
{
    public override IReadOnlyList<IVjpNode> Children => [inner];

    public override bool FreshOutput => inner.FreshOutput;

    public override bool KeepsInput => inner.KeepsInput;

    protected override (TB y, Pullback<TA, TB> pullback) Run(TA x) => inner.Forward(x);

    protected override (TB y, Pullback<TA, TB> pullback) Run(TA x, bool inputCotangent) => inner.Forward(x, inputCotangent);
}
